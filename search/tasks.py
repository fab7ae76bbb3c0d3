"""Tasks of the search app, run by the task runner. Each is idempotent: running it twice does no more than once."""

from dataclasses import asdict

from django.tasks import task

from search import services


@task
def drain_index_outbox() -> dict[str, int]:
    """Nudged after every committed listing change, and every minute (settings.PERIODIC_TASKS) for whatever a lost
    nudge or an engine outage left behind."""
    return asdict(services.index_outbox_drain())
