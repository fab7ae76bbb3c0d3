"""What the index knows about a listing: a plain `ListingDocument` (search.backends.base) built from the listing and
its patents, seller, centre and terms. Backends index documents and never read listing models themselves."""

from collections.abc import Iterable

from django.db.models import F, OuterRef, QuerySet, Subquery

from listings.models import Listing, ListingPatent
from listings.pricing import display_price_fen, price_band_of
from listings.selectors import listings_on_market
from marketplace.centres.models import OperationCentre
from search.backends.base import (
    CENTRE,
    CITY,
    IPC_CLASS,
    IPC_SECTION,
    LEGAL_STATUS,
    MODE,
    PATENT_TYPE,
    PRICE_BAND,
    SELLER_KIND,
    ListingDocument,
)
from search.text import ipc_prefixes


def _centre_path(centre_id: int, parents: dict[int, int | None]) -> list[int]:
    """The centre and its ancestors up to the root (as marketplace.centres.selectors.ancestor_ids walks them)."""
    path = [centre_id]
    current = parents.get(centre_id)
    while current is not None and current not in path:
        path.append(current)
        current = parents.get(current)
    return path


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def centre_parents() -> dict[int, int | None]:
    """Every centre's parent: one query for the whole (small) "1+X" tree."""
    return dict(OperationCentre.objects.values_list("id", "parent_id"))


def build_document(listing: Listing, parents: dict[int, int | None] | None = None) -> ListingDocument:
    """The document for one listing. Pass `parents` (from `centre_parents()`) when building many."""
    parents = centre_parents() if parents is None else parents
    patents = list(listing.patents.all())
    open_terms = [terms for terms in listing.terms.all() if terms.is_open]
    ipc_codes = _unique(code for patent in patents for code in (patent.ipc_codes or [patent.main_ipc]))
    price = display_price_fen(listing)
    facets = {
        MODE: _unique(terms.mode for terms in open_terms),
        PATENT_TYPE: _unique(patent.patent_type for patent in patents),
        IPC_SECTION: _unique(code[0] for code in ipc_codes),
        IPC_CLASS: _unique(prefixes[1] for code in ipc_codes if (prefixes := ipc_prefixes(code))),
        CITY: _unique([listing.seller.city or listing.centre.city]),
        CENTRE: _unique(str(centre_id) for centre_id in _centre_path(listing.centre_id, parents)),
        SELLER_KIND: _unique([listing.seller.kind]),
        PRICE_BAND: (price_band_of(price).value,),
        LEGAL_STATUS: _unique(patent.legal_status for patent in patents),
    }
    return ListingDocument(
        id=listing.pk,
        title=listing.title,
        summary=listing.summary,
        title_en=listing.title_en,
        summary_en=listing.summary_en,
        body_texts=_unique(
            [
                listing.application_fields,
                listing.comparison,
                *(text for patent in patents for text in (patent.title, patent.abstract, patent.first_claim)),
            ]
        ),
        application_numbers=_unique(patent.application_number for patent in patents),
        application_number_digits=_unique(patent.application_number.partition(".")[0] for patent in patents),
        ipc_codes=ipc_codes,
        ipc_prefixes=_unique(prefix for code in ipc_codes for prefix in ipc_prefixes(code)),
        applicant_names=_unique(name for patent in patents for name in patent.applicant_names),
        inventor_names=_unique(name for patent in patents for name in patent.inventors),
        seller_name=listing.seller.name,
        facets=facets,
        published_at=listing.published_at,
        price_fen=price,
    )


def indexable_listings() -> QuerySet[Listing]:
    """What is on the market is searchable, nothing else; with what a document needs, in few queries."""
    return listings_on_market().order_by("pk")


def indexable_ids_by_field() -> list[int]:
    """The ids of `indexable_listings()`, grouped by technology field: ordered by the main IPC code of each
    listing's first patent (designs, which have none, come first), then by id.

    A rebuild writes the index in this order. A word belongs mostly to one field (电池, 抑制剂), so on PostgreSQL
    the rows a common word matches then sit together on a few pages of the table instead of on nearly every page:
    a search reads fewer pages. Listings indexed later are appended wherever there is room, so the grouping
    loosens as listings are published and edited, until the next rebuild.
    """
    main_ipc = (
        ListingPatent.objects.filter(listing=OuterRef("pk")).order_by("position", "id").values("patent__main_ipc")[:1]
    )
    return list(
        indexable_listings()
        .annotate(field_order=Subquery(main_ipc))
        .order_by(F("field_order").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)
    )
