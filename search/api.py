"""The open, read-only listing-search API (信息互联互通): GET /api/v1/listings and /api/v1/listings/{id}.

Parameters are validated by their schema; a malformed one gets a 4xx naming it, never a 5xx.
"""

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from listings.models import LegalStatus, LicenceType, Listing, Mode, PatentType
from listings.pricing import PRICE_BAND_BY_VALUE
from listings.selectors import listings_on_market
from marketplace.core.api_schemas import NotFoundOut
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind
from search import get_search_backend
from search.backends.base import FACETS, SORTS, SearchQuery

router = Router(tags=["listings"])

# Dynamic Literals: the OpenAPI document lists every value a field can take.
ModeValue = Literal[tuple(Mode.values)]
LicenceTypeValue = Literal[tuple(LicenceType.values)]
PatentTypeValue = Literal[tuple(PatentType.values)]
LegalStatusValue = Literal[tuple(LegalStatus.values)]
SellerKindValue = Literal[tuple(OrganisationKind.values)]
CityValue = Literal[tuple(City.values)]

FACET_VALUES: dict[str, set[str] | None] = {
    "mode": set(Mode.values),
    "patent_type": set(PatentType.values),
    "ipc_section": set("ABCDEFGH"),
    "ipc_class": None,  # free values: a class no listing has finds nothing
    "seller_kind": set(OrganisationKind.values),
    "price_band": set(PRICE_BAND_BY_VALUE),
    "legal_status": None,  # free values, checked by the backend's own vocabulary
    "city": None,
    "centre": None,
}


class ListingSearchParams(Schema):
    q: str = Field("", max_length=200, description="Chinese, English, a patent number or an IPC code")
    mode: list[str] = Field(default_factory=list, description="licence / transfer / equity (repeatable)")
    patent_type: list[str] = Field(default_factory=list)
    ipc_section: list[str] = Field(default_factory=list, description="A–H")
    ipc_class: list[str] = Field(default_factory=list, description="IPC class, e.g. H01")
    city: list[str] = Field(default_factory=list, description="city slug, e.g. hangzhou")
    centre: list[int] = Field(default_factory=list, description="operation centre id (includes its sub-centres)")
    seller_kind: list[str] = Field(default_factory=list)
    price_band: list[str] = Field(default_factory=list)
    legal_status: list[str] = Field(default_factory=list)
    sort: str = Field("relevance", description=" / ".join(SORTS))
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)
    facets: bool = Field(True, description="include facet counts")


class Term(Schema):
    mode: ModeValue
    licence_types: list[LicenceTypeValue]
    upfront_fee_fen: int | None
    royalty_rate: float | None
    price_fen: int | None
    appraised_value_fen: int | None


class PatentOut(Schema):
    application_number: str
    patent_type: PatentTypeValue
    title: str
    legal_status: LegalStatusValue
    main_ipc: str
    ipc_codes: list[str]
    filing_date: str
    expiry_date: str


class ListingOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    title_en: str = Field("", description="The seller's own English title; empty when there is none.")
    summary_en: str = Field("", description="The seller's own English summary; empty when there is none.")
    title_highlighted: str = ""
    seller: str
    seller_kind: SellerKindValue
    city: CityValue
    centre: str
    centre_id: int
    asking_price_fen: int | None
    published_at: datetime | None
    terms: list[Term]
    patents: list[PatentOut]


class ListingPage(Schema):
    total: int
    page: int
    page_size: int
    num_pages: int
    results: list[ListingOut]
    facets: dict[str, dict[str, int]]


def _serialise(listing: Listing, request: HttpRequest, title_html: str = "") -> dict:
    return {
        "id": listing.pk,
        "url": request.build_absolute_uri(listing.get_absolute_url()),
        "title": listing.title,
        "summary": listing.summary,
        "title_en": listing.title_en,
        "summary_en": listing.summary_en,
        "title_highlighted": title_html,
        "seller": listing.seller.name,
        "seller_kind": listing.seller.kind,
        "city": listing.seller.city,
        "centre": listing.centre.name,
        "centre_id": listing.centre_id,
        "asking_price_fen": listing.asking_price_fen,
        "published_at": listing.published_at,
        "terms": [
            {
                "mode": t.mode,
                "licence_types": t.licence_types,
                "upfront_fee_fen": t.upfront_fee_fen,
                "royalty_rate": float(t.royalty_rate) if t.royalty_rate is not None else None,
                "price_fen": t.price_fen,
                "appraised_value_fen": t.appraised_value_fen,
            }
            for t in listing.terms.all()
            if t.is_open
        ],
        "patents": [
            {
                "application_number": p.application_number,
                "patent_type": p.patent_type,
                "title": p.title,
                "legal_status": p.legal_status,
                "main_ipc": p.main_ipc,
                "ipc_codes": p.ipc_codes,
                "filing_date": p.filing_date.isoformat(),
                "expiry_date": p.expiry_date.isoformat(),
            }
            for p in listing.patents.all()
        ],
    }


@router.get("", response=ListingPage, summary="Search published listings")
def search_listings(request: HttpRequest, params: Query[ListingSearchParams]):
    errors: list[tuple[str, str]] = []
    if params.sort not in SORTS:
        errors.append(("sort", f"must be one of {', '.join(SORTS)}"))
    # PostgreSQL refuses NUL in any text value (a DataError, so a 500); Django's forms refuse it the same way.
    if "\x00" in params.q:
        errors.append(("q", "must not contain NUL characters"))
    filters: dict[str, list[str]] = {}
    for facet in FACETS:
        values = [str(value).strip() for value in getattr(params, facet) if str(value).strip()]
        allowed = FACET_VALUES.get(facet)
        unknown = sorted(set(values) - allowed) if allowed is not None else []
        if any("\x00" in value for value in values):
            errors.append((facet, "must not contain NUL characters"))
        elif unknown:
            errors.append((facet, f"unknown value(s): {', '.join(unknown)}; expected {sorted(allowed)}"))
        elif values:
            filters[facet] = values
    if errors:
        # The same answer as for a parameter its schema refuses (config.api): each one named, with a reason.
        raise ValidationError([{"loc": ("query", name), "msg": reason} for name, reason in errors])
    query = SearchQuery(
        text=params.q.strip(),
        filters=filters,
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
        facets=FACETS if params.facets else (),
    )
    results = get_search_backend().search(query)
    rows = listings_on_market().in_bulk(results.ids)
    listed = [_serialise(rows[hit.id], request, hit.title_html) for hit in results.hits if hit.id in rows]
    return {
        "total": results.total,
        "page": results.page,
        "page_size": results.page_size,
        "num_pages": results.num_pages,
        "results": listed,
        "facets": results.facet_counts,
    }


@router.get("/{listing_id}", response={200: ListingOut, 404: NotFoundOut}, summary="One published listing")
def get_listing(request: HttpRequest, listing_id: int):
    listing = listings_on_market().filter(pk=listing_id).first()
    if listing is None:
        raise Http404("No published listing with this id.")
    return _serialise(listing, request)
