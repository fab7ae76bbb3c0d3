"""Demo deals: some sixty completed over the last three years and a few under way, made through the platform's
services so that the deals, contracts, payments and indicators pages have figures on first run (the ledger is
booked by its receivers, never written here).

Deterministic and idempotent: the plan (`plan`) comes from the demo listings' generator and the day; a deal of the
plan that exists already (its listing, buyer and mode) is left alone, so a second run creates nothing. On a
platform that already has deals but none of this plan's (the demo deals of another day, or deals of its own) the
demo adds none, rather than doubling the figures.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from deals.models import Deal
from listings.models import Listing, ListingStatus, ListingTerms
from marketplace.organisations.models import Organisation
from portal.demo.deals.plan import DemoDeal, Stage, plan_deals
from portal.demo.deals.steps import run_deal
from portal.demo.listings import first_application_number

__all__ = ["DemoDeal", "Stage", "plan_deals", "seed_deals"]


@dataclass(frozen=True)
class DealsSeeded:
    planned: int  # deals of the plan whose listing is in the database
    created: int
    skipped_reason: str = ""


def seed_deals(today=None) -> DealsSeeded:
    today = today or timezone.localdate()
    plan = plan_deals(today)
    numbers = {demo.listing_index: first_application_number(demo.listing_index) for demo in plan}
    listings = _listings_by_number(list(numbers.values()))
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    todo: list[tuple[DemoDeal, Listing, Organisation]] = []
    present = 0
    for demo in plan:
        listing = listings.get(numbers[demo.listing_index])
        if listing is None:
            continue  # fewer demo listings were seeded
        buyer = organisations[demo.buyer]
        if Deal.objects.filter(listing=listing, buyer=buyer, mode=demo.mode).exists():
            present += 1
        else:
            todo.append((demo, listing, buyer))
    planned = present + len(todo)
    if todo and not present and Deal.objects.exists():
        return DealsSeeded(planned, 0, "the platform already has deals that are not this demo's")
    created = 0
    for demo, listing, buyer in todo:
        if not _on_offer(listing, demo.mode):
            continue  # taken off the market since it was seeded
        with transaction.atomic():
            run_deal(demo, listing=listing, buyer=buyer, today=today)
        created += 1
    return DealsSeeded(planned, created)


def _listings_by_number(numbers: list[str]) -> dict[str, Listing]:
    rows = Listing.objects.filter(listing_patents__patent__application_number__in=numbers).values_list(
        "listing_patents__patent__application_number", "pk"
    )
    by_pk = Listing.objects.select_related("seller", "centre").in_bulk({pk for _number, pk in rows})
    return {number: by_pk[pk] for number, pk in rows}


def _on_offer(listing: Listing, mode: str) -> bool:
    listing.refresh_from_db(fields=["status"])
    return (
        listing.status == ListingStatus.PUBLISHED
        and ListingTerms.objects.filter(listing=listing, mode=mode, is_open=True).exists()
    )
