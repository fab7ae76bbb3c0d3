"""Tasks of the search app, run by the task runner. Each is idempotent: running it twice does no more than once."""

from dataclasses import asdict

from django.db import transaction
from django.tasks import task

from marketplace.background.selectors import task_waiting
from search import services
from search.alerts import alert_digests_send

# Ahead of the queue: a broker who publishes a listing looks for it in the search at once, whereas the bulk work
# queued beside it (Wagtail's reference and search indexes after a page import, say) can wait its turn.
INDEX_PRIORITY = 10


@task(priority=INDEX_PRIORITY)
def drain_index_outbox() -> dict[str, int]:
    """Nudged after every committed listing change, and every minute (settings.PERIODIC_TASKS) for whatever a lost
    nudge or an engine outage left behind."""
    return asdict(services.index_outbox_drain())


def drain_soon_after_commit() -> None:
    """Nudge a drain once the current transaction commits. robust: the change is committed whatever happens to
    the nudge, and the periodic drain catches up."""
    transaction.on_commit(_drain_soon, robust=True)


def _drain_soon() -> None:
    # A drain that has not started yet will see this commit: one is enough however many listings just changed.
    if not task_waiting(drain_index_outbox):
        drain_index_outbox.enqueue()


@task
def send_alert_digests() -> int:
    """Hourly: each person's saved-search hits not mailed yet, in one mail."""
    return alert_digests_send()
