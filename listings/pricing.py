"""A listing's price as buyers compare it, and the price bands the finder (/patents/) and the search index offer.

The price is the listing's asking price, or else the lowest amount among its open terms (a licence's upfront
fee, a transfer price, an equity appraisal); none is "negotiable". It is computed in SQL for querysets
(`with_display_price`) and in Python for a listing already loaded with its terms (`display_price_fen`: the
search documents, the finder's cards, the detail page), both from the one table AMOUNT_FIELD_OF_MODE.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, F, Min, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from listings.models import Listing, ListingTerms, Mode

YUAN = 100  # fen
WAN = 10_000 * YUAN  # 万元, the unit Chinese buyers think in

# The amount one ListingTerms row asks, by its mode.
AMOUNT_FIELD_OF_MODE = {
    Mode.LICENCE: "upfront_fee_fen",
    Mode.TRANSFER: "price_fen",
    Mode.EQUITY: "appraised_value_fen",
}
# The name under which a queryset carries each listing's price (see with_display_price).
PRICE_ANNOTATION = "effective_price_fen"


# --- Bands -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceBand:
    value: str
    label: Promise
    low_fen: int | None  # inclusive
    high_fen: int | None  # exclusive

    @property
    def is_negotiable(self) -> bool:
        return self.low_fen is None and self.high_fen is None


# The values are those of the search index, the saved searches and the open API (price_band=...): keep them.
PRICE_BANDS: tuple[PriceBand, ...] = (
    PriceBand("under_100k", _("Under ¥100,000"), None, 10 * WAN),
    PriceBand("100k_1m", _("¥100,000 – ¥1 million"), 10 * WAN, 100 * WAN),
    PriceBand("1m_10m", _("¥1 – 10 million"), 100 * WAN, 1000 * WAN),
    PriceBand("over_10m", _("¥10 million or more"), 1000 * WAN, None),
    PriceBand("negotiable", _("No price stated (negotiable)"), None, None),
)
PRICE_BAND_BY_VALUE = {band.value: band for band in PRICE_BANDS}
NEGOTIABLE_BAND = PRICE_BAND_BY_VALUE["negotiable"]
# The bands with a price, from the cheapest up: a band's number is its position here.
PRICED_BANDS = [band for band in PRICE_BANDS if not band.is_negotiable]


def price_band_of(price_fen: int | None) -> PriceBand:
    if price_fen is None:
        return NEGOTIABLE_BAND
    return next(band for band in PRICED_BANDS if band.high_fen is None or price_fen < band.high_fen)


# --- In Python -----------------------------------------------------------------------------------------------------


def display_price_fen(listing: Listing) -> int | None:
    """The listing's price, from the listing and its terms as loaded (prefetch them when reading many)."""
    if listing.asking_price_fen is not None:
        return listing.asking_price_fen
    amounts = [
        amount
        for terms in listing.terms.all()
        if terms.is_open and (amount := getattr(terms, AMOUNT_FIELD_OF_MODE[terms.mode])) is not None
    ]
    return min(amounts) if amounts else None


# --- In SQL --------------------------------------------------------------------------------------------------------


def _amount_of_terms() -> Case:
    return Case(
        *[When(mode=mode, then=F(field)) for mode, field in AMOUNT_FIELD_OF_MODE.items()],
        output_field=models.BigIntegerField(),
    )


def effective_price_fen() -> Coalesce:
    """The listing's price as an expression; NULL when none is stated ("negotiable").

    A correlated subquery, run once per listing that the query looks at. With 100,000+ listings a
    denormalised, indexed Listing column kept by the services would make the price band and the price sort
    cheap (see the hand-over notes).
    """
    lowest_amount = (
        ListingTerms.objects.filter(listing=OuterRef("pk"), is_open=True)
        .order_by()
        .values("listing")
        .annotate(lowest=Min(_amount_of_terms()))
        .values("lowest")
    )
    return Coalesce("asking_price_fen", Subquery(lowest_amount), output_field=models.BigIntegerField())


def with_display_price(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    """The listings, each carrying its price as PRICE_ANNOTATION (what the detail page shows)."""
    return listings.annotate(**{PRICE_ANNOTATION: effective_price_fen()})
