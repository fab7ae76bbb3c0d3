import os
import platform
import signal

from django.core.management.base import BaseCommand

from marketplace.background.runner import PlatformRunner


class Command(BaseCommand):
    help = (
        "Run background tasks (search indexing, alerts, mail, periodic jobs) until stopped. Start as many as you "
        "like, on one machine or several: each takes its own tasks, and each periodic run happens once."
    )

    def add_arguments(self, parser):
        parser.add_argument("-w", "--workers", type=int, default=2, help="Tasks run at once (threads).")
        parser.add_argument(
            "-i", "--worker-id", default="", help="This runner's name (default: host name and process id)."
        )
        parser.add_argument("--delay", type=float, default=0.5, help="Seconds between polls when idle.")

    def handle(self, *args, workers: int, worker_id: str, delay: float, **options):
        name = worker_id or f"{platform.node() or 'runner'}-{os.getpid()}"
        self.stdout.write(f"Task runner {name} with {workers} worker thread(s)")
        runner = PlatformRunner(workers=workers, worker_id=name, loop_delay=delay)
        # A stop from the service manager finishes the tasks in hand instead of abandoning them mid-way.
        signal.signal(signal.SIGTERM, lambda *_: runner.stop())
        runner.run()
