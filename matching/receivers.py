"""Matching follows the demands and the listings: a publication or a change queues a refresh of that side on the
task runner after commit; leaving the site (paused, closed, withdrawn, expired) removes its matches at once, in the
transaction that made the change, so no page shows a match to something gone."""

from demands.signals import demand_changed, demand_closed, demand_published
from listings.signals import listing_changed, listing_closed, listing_published
from matching.services import match_demand_clear, match_listing_clear
from matching.tasks import enqueue_after_commit, refresh_demand_matches, refresh_listing_matches


def refresh_demand(sender, demand, **kwargs) -> None:
    enqueue_after_commit(refresh_demand_matches, demand_id=demand.pk)


def clear_demand(sender, demand, **kwargs) -> None:
    match_demand_clear(demand_id=demand.pk)


def refresh_listing(sender, listing, **kwargs) -> None:
    enqueue_after_commit(refresh_listing_matches, listing_id=listing.pk)


def clear_listing(sender, listing, **kwargs) -> None:
    match_listing_clear(listing_id=listing.pk)


def connect() -> None:
    demand_published.connect(refresh_demand, dispatch_uid="matching.refresh_on_demand_published")
    demand_changed.connect(refresh_demand, dispatch_uid="matching.refresh_on_demand_changed")
    demand_closed.connect(clear_demand, dispatch_uid="matching.clear_on_demand_closed")
    listing_published.connect(refresh_listing, dispatch_uid="matching.refresh_on_listing_published")
    listing_changed.connect(refresh_listing, dispatch_uid="matching.refresh_on_listing_changed")
    listing_closed.connect(clear_listing, dispatch_uid="matching.clear_on_listing_closed")
