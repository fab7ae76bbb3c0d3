"""Background tasks of the listings app."""

from django.tasks import task

from listings.services import listings_expire


@task
def expire_listings() -> int:
    """Daily: take listings whose patent lapsed or reached the end of its term off the market. Idempotent."""
    return len(listings_expire())
