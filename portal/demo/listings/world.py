"""The fixed facts of the demo world: its seed, its today, who sells what, and how listings are spread over
statuses, maturities, modes and prices."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from listings.models import LicenceType, ListingStatus, Maturity, Mode
from portal.demo.listings.draws import Weights
from portal.demo.listings.numbers import MAX_PATENTS_PER_LISTING
from portal.demo.organisations import ORGANISATIONS
from portal.demo.technologies import FIELDS_BY_KEY, SELLERS, TechnologyField

# Any fixed number: changing it changes every demo listing.
DEMO_SEED = 20_160_901
# The demo world's today. Patents on the market stay in force until the end of 2028 at least (see generator).
DEMO_TODAY = date(2026, 11, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DemoSeller:
    """An organisation of organisations.py that lists patents, and its technology fields."""

    name: str
    kind: str
    credit_code: str
    fields: tuple[TechnologyField, ...]

    @property
    def is_research_body(self) -> bool:
        return self.kind in ("university", "institute")


_ORGANISATIONS_BY_NAME = {data["name"]: data for data in ORGANISATIONS}
DEMO_SELLERS = Weights(
    {
        DemoSeller(
            name=name,
            kind=_ORGANISATIONS_BY_NAME[name]["kind"],
            credit_code=_ORGANISATIONS_BY_NAME[name]["credit_code"],
            fields=tuple(FIELDS_BY_KEY[key] for key in keys),
        ): weight
        for name, weight, keys in SELLERS
    }
)


def _partners(kind: str) -> dict[str, tuple[str, ...]]:
    """Field key -> sellers of the given kind working in it: partners who file jointly with a seller."""
    return {
        key: tuple(seller.name for seller in DEMO_SELLERS.items if seller.kind == kind and technology in seller.fields)
        for key, technology in FIELDS_BY_KEY.items()
    }


ENTERPRISES_BY_FIELD = _partners("enterprise")
UNIVERSITIES_BY_FIELD = _partners("university")

# --- How listings are spread ------------------------------------------------------------------------------------

PORTFOLIO_SHARE = 0.10
PORTFOLIO_SIZES = (2, 2, 2, 3, 3, 4)
assert max(PORTFOLIO_SIZES) <= MAX_PATENTS_PER_LISTING, "the serial bands hold four patents per listing"
LAPSED_SHARE = 0.03  # listings whose (first) patent lapsed or expired: they stay off the market
CO_APPLICANT_SHARE = 0.12
DESIGN_SHARE = 0.04
UTILITY_MODEL_SHARE = 0.16
ENGLISH_SHARE = 0.6  # listings whose seller also wrote the title and summary in English; the rest are Chinese only

STATUSES = Weights(
    {
        ListingStatus.PUBLISHED: 78,
        ListingStatus.DRAFT: 7,
        ListingStatus.SUBMITTED: 5,
        ListingStatus.PAUSED: 4,
        ListingStatus.CLOSED: 4,
        ListingStatus.WITHDRAWN: 2,
    }
)
M = Maturity
MATURITIES = {  # universities list laboratory results, enterprises what they already make
    "university": Weights({M.CONCEPT: 10, M.LAB: 40, M.PILOT: 35, M.SMALL_BATCH: 12, M.MASS_PRODUCTION: 3}),
    "institute": Weights({M.CONCEPT: 5, M.LAB: 30, M.PILOT: 40, M.SMALL_BATCH: 20, M.MASS_PRODUCTION: 5}),
    "enterprise": Weights({M.LAB: 5, M.PILOT: 15, M.SMALL_BATCH: 35, M.MASS_PRODUCTION: 45}),
}
MATURITY_PRICE_FACTORS = {M.CONCEPT: 0.5, M.LAB: 0.8, M.PILOT: 1.2, M.SMALL_BATCH: 1.8, M.MASS_PRODUCTION: 2.5}
L = LicenceType
# Licence offers as universities write them: ordinary licences most often, exclusive ones for a higher fee.
LICENCE_TYPES = Weights(
    {
        (L.ORDINARY,): 35,
        (L.EXCLUSIVE,): 20,
        (L.EXCLUSIVE, L.ORDINARY): 20,
        (L.SOLE, L.ORDINARY): 10,
        (L.EXCLUSIVE, L.SOLE, L.ORDINARY): 15,
    }
)
MODE_SHARES = {  # the chance that a seller offers each mode
    "research": {Mode.LICENCE: 0.85, Mode.TRANSFER: 0.5, Mode.EQUITY: 0.15},
    "enterprise": {Mode.LICENCE: 0.6, Mode.TRANSFER: 0.7, Mode.EQUITY: 0.05},
}
MIN_AMOUNT_YUAN = 100_000  # 10万元
MAX_AMOUNT_YUAN = 20_000_000  # 2000万元
