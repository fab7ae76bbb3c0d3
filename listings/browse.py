"""Facet counts for the browse page: how many listings each option of each filter would show.

Each facet is counted over the listings that match the *other* active filters (standard faceted search): choosing
"licence" narrows the counts of every other facet, while the deal-type options keep showing what choosing another
mode would give. One GROUP BY query per facet, never one query per option.

Patent facets are counted on ListingPatent rows (one per patent of a listing) with COUNT(DISTINCT listing), so a
portfolio with three inventions counts once under "invention". They apply the other patent conditions to the same
row, as the filter does (one patent must meet them all).
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone

from listings.filters import (
    LEGAL_STATUSES_OF_GROUP,
    PATENT_CONDITIONS,
    REMAINING_TERM_CHOICES,
    ListingFilter,
    ipc_section_title,
)
from listings.models import Listing, ListingPatent, ListingTerms
from listings.pricing import NEGOTIABLE_BAND, PRICED_BANDS, price_band_number
from marketplace.centres.selectors import centres_with_depth

# Facets with more options than this are shown as a drop-down instead of a list of radio buttons.
MAX_RADIO_OPTIONS = 8


@dataclass(frozen=True)
class FacetOption:
    """One option of a facet with the number of listings it would show (the browse and the search sidebars)."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    label: str
    options: list[FacetOption]
    selected_value: str  # "" when no option is chosen

    @property
    def is_drop_down(self) -> bool:
        return len(self.options) > MAX_RADIO_OPTIONS

    @property
    def selected_label(self) -> str:
        return next((option.label for option in self.options if option.selected), "")


def _ids(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    return listings.order_by().values("pk")


def _patent_rows(filterset: ListingFilter, facet: str) -> QuerySet[ListingPatent]:
    """Patents of the listings that pass the listing filters, meeting every patent condition but the facet's own."""
    listings = filterset.listings_matching(patent_filters=False)
    return ListingPatent.objects.filter(*filterset.patent_conditions(ignore=facet), listing__in=_ids(listings))


def _count_listings_per_patent_value(filterset: ListingFilter, facet: str, field: str) -> dict[str, int]:
    rows = (
        _patent_rows(filterset, facet)
        .values_list(field)
        .annotate(listings=Count("listing_id", distinct=True))
        .order_by()
    )
    return {str(value): count for value, count in rows}


def count_modes(filterset: ListingFilter) -> dict[str, int]:
    listings = filterset.listings_matching(ignore="mode")
    # One open terms row per listing and mode (unique constraint), so a plain count counts listings.
    rows = (
        ListingTerms.objects.filter(is_open=True, listing__in=_ids(listings))
        .values_list("mode")
        .annotate(listings=Count("pk"))
        .order_by()
    )
    return dict(rows)


def count_price_bands(filterset: ListingFilter) -> dict[str, int]:
    rows = (
        filterset.listings_matching(ignore="price")
        .annotate(band_number=price_band_number())
        .values_list("band_number")
        .annotate(listings=Count("pk"))
        .order_by()
    )
    return {(NEGOTIABLE_BAND if number is None else PRICED_BANDS[number]).value: count for number, count in rows}


def count_patent_types(filterset: ListingFilter) -> dict[str, int]:
    return _count_listings_per_patent_value(filterset, "patent_type", "patent__patent_type")


def count_legal_statuses(filterset: ListingFilter) -> dict[str, int]:
    group = Case(
        *[
            When(patent__legal_status__in=statuses, then=Value(group_value))
            for group_value, statuses in LEGAL_STATUSES_OF_GROUP.items()
        ],
        default=Value(""),
        output_field=CharField(),
    )
    rows = (
        _patent_rows(filterset, "legal_status")
        .annotate(status_group=group)
        .values_list("status_group")
        .annotate(listings=Count("listing_id", distinct=True))
        .order_by()
    )
    return {value: count for value, count in rows if value}


def count_remaining_terms(filterset: ListingFilter) -> dict[str, int]:
    # The options overlap (10 years left is also 5 years left), so this is one pass of conditional counts.
    aggregates = {
        f"at_least_{years}": Count("listing_id", distinct=True, filter=PATENT_CONDITIONS["term"](years))
        for years, _label in REMAINING_TERM_CHOICES
    }
    totals = _patent_rows(filterset, "term").aggregate(**aggregates)
    return {years: totals[f"at_least_{years}"] for years, _label in REMAINING_TERM_CHOICES}


def count_sections(filterset: ListingFilter) -> dict[str, int]:
    return _count_listings_per_patent_value(filterset, "section", "patent__ipc_section")


def count_ipc_classes(filterset: ListingFilter) -> dict[str, int]:
    counts = _count_listings_per_patent_value(filterset, "ipc_class", "patent__ipc_class")
    counts.pop("", None)  # patents without an IPC code
    return counts


def _count_listings_per_field(filterset: ListingFilter, facet: str, field: str) -> dict[str, int]:
    rows = filterset.listings_matching(ignore=facet).values_list(field).annotate(listings=Count("pk")).order_by()
    return {str(value): count for value, count in rows}


def count_cities(filterset: ListingFilter) -> dict[str, int]:
    return _count_listings_per_field(filterset, "city", "seller__city")


def count_seller_types(filterset: ListingFilter) -> dict[str, int]:
    return _count_listings_per_field(filterset, "seller_type", "seller__kind")


def count_centres(filterset: ListingFilter) -> dict[str, int]:
    """Listings hosted by each centre or any centre below it, as the centre filter selects them.

    Each listing has exactly one centre, so adding a child's total to its parent's never counts a listing twice.
    """
    totals = {
        int(centre_id): count
        for centre_id, count in _count_listings_per_field(filterset, "centre", "centre_id").items()
    }
    parents = {centre.id: centre.parent_id for centre, _depth in centres_with_depth()}
    for centre_id, count in list(totals.items()):
        seen = {centre_id}
        ancestor = parents.get(centre_id)
        while ancestor is not None and ancestor not in seen:  # `seen` guards against a corrupt cycle
            totals[ancestor] = totals.get(ancestor, 0) + count
            seen.add(ancestor)
            ancestor = parents.get(ancestor)
    return {str(centre_id): count for centre_id, count in totals.items()}


FACET_COUNTERS = {
    "mode": count_modes,
    "price": count_price_bands,
    "patent_type": count_patent_types,
    "legal_status": count_legal_statuses,
    "term": count_remaining_terms,
    "section": count_sections,
    "ipc_class": count_ipc_classes,
    "city": count_cities,
    "seller_type": count_seller_types,
    "centre": count_centres,
}


def _ipc_class_options(filterset: ListingFilter, counts: dict[str, int], selected: str) -> list[FacetOption]:
    # Only classes that have listings, within the chosen section if there is one; a chosen class stays listed.
    section = filterset.active_values.get("section", "")
    codes = {code for code in counts if code.startswith(section)}
    if selected:
        codes.add(selected)
    return [
        FacetOption(
            value=code,
            label=f"{code} · {ipc_section_title(code[0])}",
            count=counts.get(code, 0),
            selected=code == selected,
        )
        for code in sorted(codes)
    ]


# Counting every facet over 100,000+ listings costs about ten GROUP BY queries over the whole market, so the counts
# of each filter combination are kept briefly: a new listing may take this long to show in the counts (the result
# list itself is never cached).
FACET_COUNTS_SECONDS = 60


def facet_counts(filterset: ListingFilter) -> dict[str, dict[str, int]]:
    """facet name -> option value -> number of listings, for the filter set's active filters."""
    # Today is part of the key because the remaining-term thresholds move with it.
    identity = json.dumps([sorted(filterset.active_values.items()), str(timezone.localdate())])
    key = "listings:facet-counts:" + hashlib.sha256(identity.encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = {name: count(filterset) for name, count in FACET_COUNTERS.items()}
        cache.set(key, counts, FACET_COUNTS_SECONDS)
    return counts


def browse_facets(filterset: ListingFilter) -> list[Facet]:
    """Every facet of the sidebar, in the filter set's order, with the count next to each option."""
    active = filterset.active_values
    facets = []
    for name, counts in facet_counts(filterset).items():
        selected = str(active.get(name, ""))
        if name == "ipc_class":
            options = _ipc_class_options(filterset, counts, selected)
        else:
            options = [
                FacetOption(
                    value=str(value), label=str(label), count=counts.get(str(value), 0), selected=str(value) == selected
                )
                for value, label in filterset.form.fields[name].choices
                if value != ""
            ]
        facets.append(
            Facet(name=name, label=str(filterset.filters[name].label), options=options, selected_value=selected)
        )
    return facets


def active_filter_labels(facets: list[Facet]) -> list[tuple[Facet, str]]:
    """The chosen option of each facet, for the "you filtered by" line with its remove links."""
    return [(facet, facet.selected_label or facet.selected_value) for facet in facets if facet.selected_value]


def query_without_empty_values(query: QueryDict) -> QueryDict | None:
    """The query without its empty parameters ("?mode=&city=ningbo" -> "?city=ningbo"); None if it has none."""
    if all(value != "" for _name, values in query.lists() for value in values):
        return None
    compacted = QueryDict(mutable=True)
    for name, values in query.lists():
        kept = [value for value in values if value != ""]
        if kept:
            compacted.setlist(name, kept)
    return compacted
