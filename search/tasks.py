"""Tasks of the search app, run by the task runner. Each is idempotent: running it twice does no more than once."""

from dataclasses import asdict

from django.tasks import task

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


@task
def send_alert_digests() -> int:
    """Hourly: each person's saved-search hits not mailed yet, in one mail."""
    return alert_digests_send()
