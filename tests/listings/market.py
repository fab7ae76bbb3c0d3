"""A small market of listings with every kind of patent, price, term, seller and state, written directly (not
through the services), for the finder and the listing pages."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from listings.models import (
    CloseReason,
    Listing,
    ListingBenefit,
    ListingPatent,
    ListingStatus,
    ListingTerms,
    Patent,
)
from listings.patents.numbers import compute_check_digit
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory

WAN = 10_000 * 100  # fen in 1万元

_serials = itertools.count(1)
_TYPE_DIGITS = {"invention": "1", "utility_model": "2", "design": "3"}


def years_ago(years: int, days: int = 30) -> date:
    """A filing date `years` (and a month) back, so the remaining term is never on a boundary."""
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def make_patent(
    *,
    patent_type: str = "invention",
    legal_status: str = "granted",
    filed: date | None = None,
    ipc: str = "H01M 4/525",
    title: str = "一种正极材料",
) -> Patent:
    filed = filed or years_ago(3)
    digits = f"{filed.year}{_TYPE_DIGITS[patent_type]}{next(_serials):07d}"
    return Patent.objects.create(
        application_number=f"{digits}.{compute_check_digit(digits)}",
        patent_type=patent_type,
        title=title,
        abstract="本发明公开了一种正极材料。",
        first_claim="1. 一种正极材料，其特征在于……",
        ipc_codes=[ipc],
        main_ipc=ipc,
        filing_date=filed,
        legal_status=legal_status,
        applicant_names=["宁波大学"],
        inventors=["王磊", "陈静"],
    )


def make_listing(
    *,
    seller,
    patents: list[Patent],
    terms: list[dict],
    title: str,
    status: str = ListingStatus.PUBLISHED,
    centre=None,
    asking_price_fen: int | None = None,
    published_days_ago: int = 1,
    summary: str = "What it does, in plain words.",
    **fields,
) -> Listing:
    listing = Listing.objects.create(
        title=title,
        summary=summary,
        seller=seller,
        centre=centre or seller.centre,
        status=status,
        asking_price_fen=asking_price_fen,
        published_at=timezone.now() - timedelta(days=published_days_ago) if status != ListingStatus.DRAFT else None,
        **fields,
    )
    for position, patent in enumerate(patents):
        ListingPatent.objects.create(listing=listing, patent=patent, position=position)
    for term in terms:
        ListingTerms.objects.create(listing=listing, **term)
    return listing


@dataclass
class Market:
    battery: Listing  # university, Ningbo; invention granted H01M, 16 years left; licence 30万 upfront
    sensor: Listing  # enterprise under the Ningbo alliance; utility model G01N, 2 years left; transfer 8万
    portfolio: Listing  # Hangzhou firm; pending invention G06F (18 y) + granted design A47C (12 y); 600万 asked
    coating: Listing  # Wenzhou institute; invention C08L, 7 years left; equity appraised 200万
    network: Listing  # university, Ningbo; invention H04L, 14 years left; royalty only: no price stated
    draft: Listing
    submitted: Listing
    paused: Listing
    closed: Listing

    @property
    def published(self) -> list[Listing]:
        return [self.battery, self.sensor, self.portfolio, self.coating, self.network]


def build_market(world) -> Market:
    """Five listings on the market, one in each state off it; listings written directly, not indexed."""
    world.university.city = City.NINGBO
    world.university.save()
    world.enterprise.city = City.NINGBO
    world.enterprise.save()
    institute = OrganisationFactory(
        name="温州材料研究所", kind=OrganisationKind.INSTITUTE, city=City.WENZHOU, centre=world.hangzhou
    )
    battery = make_listing(
        seller=world.university,
        title="Solid-state battery cathode",
        summary="A cathode that lets electric cars drive 20% further on one charge.",
        patents=[make_patent(filed=years_ago(3), ipc="H01M 4/525", title="一种高镍正极材料")],
        terms=[{"mode": "licence", "licence_types": ["ordinary", "exclusive"], "upfront_fee_fen": 30 * WAN}],
        published_days_ago=50,
        maturity="pilot",
        application_fields="Electric vehicles; energy storage",
        comparison="Lasts 1,500 cycles where today's cells last 1,000.",
    )
    ListingBenefit.objects.create(
        listing=battery, metric="Energy density", value="300", unit="Wh/kg", baseline="250 Wh/kg in today's cells"
    )
    sensor = make_listing(
        seller=world.enterprise,
        title="Water quality sensor",
        patents=[make_patent(patent_type="utility_model", filed=years_ago(7), ipc="G01N 33/18")],
        terms=[{"mode": "transfer", "price_fen": 8 * WAN}],
        published_days_ago=40,
    )
    portfolio = make_listing(
        seller=world.other_enterprise,
        title="Smart furniture portfolio",
        patents=[
            make_patent(legal_status="examination", filed=years_ago(1), ipc="G06F 16/33"),
            make_patent(patent_type="design", filed=years_ago(2), ipc="A47C 7/00"),
        ],
        terms=[{"mode": "licence", "royalty_rate": "3.50"}, {"mode": "equity", "appraised_value_fen": 1200 * WAN}],
        asking_price_fen=600 * WAN,
        published_days_ago=30,
    )
    coating = make_listing(
        seller=institute,
        title="Anti-corrosion coating",
        patents=[make_patent(filed=years_ago(12), ipc="C08L 63/00")],
        terms=[{"mode": "equity", "appraised_value_fen": 200 * WAN}],
        published_days_ago=20,
    )
    network = make_listing(
        seller=world.university,
        title="Low-latency network protocol",
        patents=[make_patent(filed=years_ago(5), ipc="H04L 45/00")],
        terms=[{"mode": "licence", "royalty_rate": "2.00"}, {"mode": "transfer", "is_open": False}],
        published_days_ago=10,
    )
    hidden = {"patents": [], "terms": [{"mode": "licence", "upfront_fee_fen": 20 * WAN}]}
    return Market(
        battery=battery,
        sensor=sensor,
        portfolio=portfolio,
        coating=coating,
        network=network,
        draft=make_listing(seller=world.university, title="Draft lithium anode", status="draft", **hidden),
        submitted=make_listing(
            seller=world.other_enterprise, title="Submitted robot arm", status="submitted", **hidden
        ),
        paused=make_listing(seller=world.university, title="Paused fuel cell", status="paused", **hidden),
        closed=make_listing(
            seller=world.university,
            title="Closed motor design",
            status="closed",
            close_reason=CloseReason.TRANSFERRED,
            **hidden,
        ),
    )
