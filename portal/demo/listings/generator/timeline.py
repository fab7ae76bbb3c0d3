"""Where a demo listing stands (its status) and when it got there (created, updated, submitted, published)."""

import random
from datetime import date, datetime, timedelta

from listings.models import LicenceType, ListingStatus, Mode
from portal.demo.listings.draws import between
from portal.demo.listings.generator.skeleton import Skeleton
from portal.demo.listings.records import DemoPatent, DemoTerms
from portal.demo.listings.world import (
    DEMO_TODAY,
    SHANGHAI,
    STATUSES,
)
from portal.demo.seed import UNVERIFIED


def draw_status(rng: random.Random, skeleton: Skeleton, terms: list[DemoTerms]) -> str:
    if skeleton.lapsed:
        return ListingStatus.EXPIRED  # the daily job took it off the market when its patent lapsed
    if skeleton.seller.name in UNVERIFIED:  # unverified sellers wait for the centre's checks
        return ListingStatus.SUBMITTED if rng.random() < 0.35 else ListingStatus.DRAFT
    status = STATUSES.draw(rng)
    if status == ListingStatus.CLOSED:
        # Only a transfer or an exclusive licence ends a listing.
        closable = any(offer.mode == Mode.TRANSFER or LicenceType.EXCLUSIVE in offer.licence_types for offer in terms)
        return status if closable else ListingStatus.PUBLISHED
    return status


def _moment(rng: random.Random, first: date, last: date) -> datetime:
    """A moment during office hours (Beijing time) on a day from `first` to `last`."""
    day = first + timedelta(days=between(rng, 0, max(0, (last - first).days)))
    seconds = between(rng, 9 * 3600, 18 * 3600 - 1)
    return datetime(day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=SHANGHAI)


def _days_before(rng: random.Random, moment: datetime, fewest: int, most: int) -> datetime:
    """A moment during office hours, `fewest` to `most` days before `moment`."""
    day = moment.date()
    return _moment(rng, day - timedelta(days=most), day - timedelta(days=fewest))


def draw_timeline(
    rng: random.Random, status: str, patents: list[DemoPatent]
) -> tuple[datetime, datetime, datetime | None, datetime | None]:
    """created, updated, submitted and published, in that order, after every patent was made public."""
    three_years_ago = DEMO_TODAY - timedelta(days=3 * 365)
    listable_from = max(max(patent.on_record_since for patent in patents), three_years_ago)
    yesterday = DEMO_TODAY - timedelta(days=1)
    if status == ListingStatus.EXPIRED:
        created = _moment(rng, three_years_ago, DEMO_TODAY - timedelta(days=60))
        return created, created + timedelta(days=between(rng, 1, 30)), None, None
    if status == ListingStatus.DRAFT or (status == ListingStatus.WITHDRAWN and rng.random() < 0.5):
        created = _moment(rng, max(listable_from, DEMO_TODAY - timedelta(days=365)), yesterday)
        updated = _moment(rng, created.date(), min(created.date() + timedelta(days=30), yesterday))
        return created, max(created, updated), None, None
    if status == ListingStatus.SUBMITTED:
        submitted = _moment(rng, max(listable_from, DEMO_TODAY - timedelta(days=30)), yesterday)
        created = _days_before(rng, submitted, 1, 45)
        return created, submitted, submitted, None
    # Published at least once: the moderation took a few days, and the listing had been prepared before that.
    published = _moment(rng, listable_from + timedelta(days=7), yesterday)
    submitted = _days_before(rng, published, 1, 10)
    created = _days_before(rng, submitted, 1, 45)
    if status == ListingStatus.PUBLISHED:
        return created, published, submitted, published
    # Paused, closed or withdrawn later on.
    left = max(_moment(rng, published.date(), yesterday), published + timedelta(hours=1))
    return created, left, submitted, published
