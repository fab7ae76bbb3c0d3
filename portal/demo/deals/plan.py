"""Which demo deals happened, on which listings, between whom, on what terms and when: worked out from the demo
listings' generator alone (never from the database, which the deals themselves change), so every seed plans the
same deals for the same day.

Completed deals are spread evenly from February two years ago to a fortnight ago, so the last full year and this
one each hold some twenty. The slots cycle through the modes, the sellers' kinds and four cities, so that every
mode, kind and those cities have at least INDICATORS_MIN_DEALS deals a year and the public dashboard hides few
cells (indicators/selectors/disclosure.py). A few deals are still under way (`Stage`), to give the payments pages
and the brokers work.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from deals.models import PaymentMode
from listings.models import LicenceType, ListingStatus, Mode
from portal.demo.listings import DEMO_SEED, demo_listing
from portal.demo.listings.records import DemoListing, DemoTerms
from portal.demo.listings.world import SHANGHAI
from portal.demo.organisations import ORGANISATIONS
from portal.demo.seed import UNVERIFIED

# The demo listings the deals are drawn from: the first ones, which every `seed_demo` run creates.
LISTING_POOL = 500
COMPLETED_DEALS = 66
# The demo buyer's organisation: every third completed deal is its, so the demo buyer's pages have history.
DEMO_BUYER = "杭州数衡智能科技有限公司"

# Slot i of the completed deals takes the i-th entry (cyclically) of each of these.
MODE_CYCLE = ("fixed", "royalty", "transfer", "equity", "fixed", "transfer")
KIND_CYCLE = ("university", "institute", "university", "enterprise", "university")
CITY_CYCLE = ("hangzhou", "ningbo", "hangzhou", "wenzhou", "ningbo", "hangzhou", "jinhua")

_KIND_AND_CITY = {data["name"]: (data["kind"], data["city"]) for data in ORGANISATIONS}
BUYERS = tuple(
    data["name"] for data in ORGANISATIONS if data["kind"] == "enterprise" and data["name"] not in UNVERIFIED
)


class Stage(StrEnum):
    """How far a deal has come today."""

    COMPLETED = "completed"  # paid (or shares registered), registered: booked in the indicators
    AGREED = "agreed"  # terms accepted; the buyer has signed, the seller not yet
    SIGNED = "signed"  # both signed; the first amounts fall due in a few weeks
    OVERDUE = "overdue"  # a transfer paid in instalments: the first paid, the second overdue, the third due
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # a broker recorded the transfer; a second must confirm it
    SHARES_PENDING = "shares_pending"  # an equity deal signed, waiting for its share registration


@dataclass(frozen=True)
class DemoDeal:
    number: int  # its place in the plan; seeds the amounts drawn for it
    listing_index: int
    seller: str
    buyer: str
    mode: str  # listings.models.Mode
    payment_mode: str  # deals.models.PaymentMode for a licence, "" otherwise
    licence_type: str
    terms: dict  # the accepted offer's terms, as offer_propose takes them
    accepted_on: date
    stage: Stage
    counter_offer: bool  # the seller answered the buyer's first offer with a version of its own

    @property
    def opened_on(self) -> date:
        return self.accepted_on - timedelta(days=5)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of a working day, Beijing time."""
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def days_to_complete(mode: str, terms: dict) -> int:
    """From acceptance to completion: amounts fall due 30 days apart (payments.services.schedule) and are paid a
    few days before; an equity deal waits for its share registration. The broker registers the contract five days
    after the last of these (the seeding steps in portal/demo/deals/ follow the same offsets)."""
    if mode == Mode.EQUITY:
        return 29
    instalments = (terms.get("instalments") or 1) if mode == Mode.TRANSFER else 1
    return 30 * instalments + 3


def plan_deals(today: date) -> list[DemoDeal]:
    listings = [demo_listing(index) for index in range(LISTING_POOL)]
    planner = _Planner(listings)
    first = date(today.year - 2, 2, 1)
    last = today - timedelta(days=14)
    span = (last - first).days
    for slot in range(COMPLETED_DEALS):
        completed_on = first + timedelta(days=span * slot // (COMPLETED_DEALS - 1))
        planner.add(
            slot,
            completion=completed_on,
            style=MODE_CYCLE[slot % len(MODE_CYCLE)],
            kind=KIND_CYCLE[slot % len(KIND_CYCLE)],
            city=CITY_CYCLE[slot % len(CITY_CYCLE)],
            buyer=DEMO_BUYER if slot % 3 == 0 else None,
        )
    # Under way today, between the demo accounts' organisations where they can be.
    under_way = (
        (Stage.SIGNED, "fixed", "浙江大学", 12),
        (Stage.OVERDUE, "transfer", "中国科学院宁波材料技术与工程研究所", 70),
        (Stage.AWAITING_CONFIRMATION, "fixed", "浙江工业大学", 25),
        (Stage.SHARES_PENDING, "equity", "浙江大学", 15),
        (Stage.AGREED, "royalty", "浙江大学", 3),
    )
    for offset, (stage, style, seller, days_ago) in enumerate(under_way):
        planner.add(
            COMPLETED_DEALS + offset,
            accepted=today - timedelta(days=days_ago),
            style=style,
            seller=seller,
            buyer=DEMO_BUYER,
            stage=stage,
        )
    return planner.deals


class _Planner:
    def __init__(self, listings: list[DemoListing]) -> None:
        self.listings = [
            listing
            for listing in listings
            if listing.status == ListingStatus.PUBLISHED and listing.seller_name not in UNVERIFIED
        ]
        self.used: set[int] = set()
        self.deals: list[DemoDeal] = []

    def add(
        self,
        number: int,
        *,
        style: str,
        completion: date | None = None,
        accepted: date | None = None,
        kind: str | None = None,
        city: str | None = None,
        seller: str | None = None,
        buyer: str | None = None,
        stage: Stage = Stage.COMPLETED,
    ) -> None:
        rng = random.Random(DEMO_SEED * 7 + number)  # noqa: S311 - demo data wants reproducible draws
        mode = Mode.EQUITY if style == "equity" else Mode.TRANSFER if style == "transfer" else Mode.LICENCE
        instalments = 1 + number % 3 if mode == Mode.TRANSFER else None
        if stage == Stage.OVERDUE:
            instalments = 3
        if accepted is None:
            accepted = completion - timedelta(days=days_to_complete(mode, {"instalments": instalments}))
        # The listing was on the market for a week at least before the buyer enquired.
        latest_publication = at(accepted - timedelta(days=12), 9)
        wishes = [(seller, kind, city), (seller, kind, None), (seller, None, city), (seller, None, None)]
        if seller is None:
            wishes = [(None, kind, city), (None, kind, None), (None, None, city), (None, None, None)]
        for wish_seller, wish_kind, wish_city in wishes:
            found = self._find(mode, latest_publication, wish_seller, wish_kind, wish_city)
            if found is not None:
                break
        else:
            return  # nothing fits this slot (too few listings were published that early)
        listing, offer = found
        self.used.add(listing.index)
        buyer = buyer if buyer and buyer != listing.seller_name else self._buyer(number, listing.seller_name)
        licence_type, payment_mode, terms = _terms(rng, style, offer, listing, buyer, instalments)
        self.deals.append(
            DemoDeal(
                number=number,
                listing_index=listing.index,
                seller=listing.seller_name,
                buyer=buyer,
                mode=mode,
                payment_mode=payment_mode,
                licence_type=licence_type,
                terms=terms,
                accepted_on=accepted,
                stage=stage,
                counter_offer=number % 3 == 1,
            )
        )

    def _find(self, mode, latest_publication, seller, kind, city) -> tuple[DemoListing, DemoTerms] | None:
        for listing in self.listings:
            if listing.index in self.used or listing.published_at > latest_publication:
                continue
            seller_kind, seller_city = _KIND_AND_CITY[listing.seller_name]
            if (seller and listing.seller_name != seller) or (kind and seller_kind != kind):
                continue
            if city and seller_city != city:
                continue
            offer = next((terms for terms in listing.terms if terms.mode == mode and terms.is_open), None)
            # Licences are ordinary ones: an exclusive licence would close the licence on a listing that stays on
            # the market for its other modes, which the demo listings never do (tests/portal/test_seed_listings.py).
            if offer is not None and (mode != Mode.LICENCE or LicenceType.ORDINARY in offer.licence_types):
                return listing, offer
        return None

    def _buyer(self, number: int, seller: str) -> str:
        others = [name for name in BUYERS if name not in (seller, DEMO_BUYER)]
        return others[number % len(others)]


def _round_yuan(fen: int, step_yuan: int = 10_000) -> int:
    """To the 万元, as negotiated prices are (at least one step)."""
    step = step_yuan * 100
    return max(step, round(fen / step) * step)


def _terms(
    rng: random.Random, style: str, offer: DemoTerms, listing: DemoListing, buyer: str, instalments: int | None
) -> tuple[str, str, dict]:
    """The terms the buyer and the seller end up accepting: close to what the listing asks, a little below."""
    discount = Decimal(85 + rng.randrange(16)) / 100  # 85 % to 100 % of the asking figure
    asking = listing.asking_price_fen or 50_000_000
    if style == "transfer":
        price = _round_yuan(int((offer.price_fen or asking) * discount))
        return "", "", {"price_fen": price, "instalments": instalments}
    if style == "equity":
        value = _round_yuan(int((offer.appraised_value_fen or asking) * discount))
        share = Decimal(3 + rng.randrange(18))
        return "", "", {"appraised_value_fen": value, "share_percent": share, "receiving_company": buyer}
    # An ordinary licence (_Planner._find picks listings that grant one): the listing stays on the market.
    licence_type = LicenceType.ORDINARY
    upfront = _round_yuan(int((offer.upfront_fee_fen or asking // 3) * discount))
    terms = {
        "licence_type": licence_type,
        "territory": offer.territory or "中国大陆",
        "field_of_use": offer.field_of_use or "不限",
        "term_years": offer.term_years or 5,
    }
    if style == "royalty":
        # An entry fee and a royalty on net sales (入门费 + 提成), with a yearly minimum.
        rate = offer.royalty_rate or Decimal(2 + rng.randrange(5))
        terms |= {
            "payment_mode": PaymentMode.ROYALTY,
            "upfront_fee_fen": _round_yuan(upfront // 2),
            "royalty_rate": rate,
            "minimum_annual_royalty_fen": _round_yuan(upfront // 5),
        }
        return licence_type, PaymentMode.ROYALTY, terms
    terms |= {"payment_mode": PaymentMode.FIXED, "upfront_fee_fen": upfront}
    return licence_type, PaymentMode.FIXED, terms
