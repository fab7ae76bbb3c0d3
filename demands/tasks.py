"""Background tasks of the demands app."""

from django.tasks import task

from demands.services import demands_expire


@task
def expire_demands() -> int:
    """Daily, after midnight: demands whose deadline was yesterday or earlier leave the site. Idempotent."""
    return len(demands_expire())
