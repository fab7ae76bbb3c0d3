"""django-dbtasks' runner, plus the housekeeping a platform needs from it: periodic jobs that run once however
many runners there are (dbtasks' own `periodic` option schedules a copy per runner started together, and keeps
no record of the last run), and the tasks of runners that died put back in the queue (dbtasks resumes them only
when a runner of the same name starts again)."""

import logging
import time

from dbtasks.runner import Runner
from django.db import DatabaseError, connection

from marketplace.background.services import dead_runners_requeue, periodic_jobs_enqueue_due, periodic_jobs_sync

logger = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 5.0


class PlatformRunner(Runner):
    def __init__(self, *args, **kwargs):
        kwargs["init_periodic"] = False  # our periodic jobs are claimed in housekeeping(), not pre-scheduled
        super().__init__(*args, **kwargs)
        self._next_housekeeping = 0.0

    def run(self):
        periodic_jobs_sync()
        super().run()

    def schedule_tasks(self) -> float:
        self.housekeeping()
        return super().schedule_tasks()

    def housekeeping(self) -> None:
        now = time.monotonic()
        if now < self._next_housekeeping:
            return
        self._next_housekeeping = now + HOUSEKEEPING_SECONDS
        try:
            dead_runners_requeue()
            for task_path in periodic_jobs_enqueue_due():
                logger.info("Periodic job %s enqueued", task_path)
        except DatabaseError:
            logger.exception("Task runner housekeeping failed; trying again in %.0f s", HOUSEKEEPING_SECONDS)
            connection.close()
