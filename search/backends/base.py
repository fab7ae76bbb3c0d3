"""The one interface every listing-search backend offers, and the query / result types it speaks.

Modelled on Wagtail's `wagtail.search.backends.base`: callers build a `SearchQuery`, call
`get_search_backend().search(query)` and read a `SearchResults`; they never ask which backend is active.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

# The facets a search can filter on and count.
MODE = "mode"  # open terms: licence / transfer / equity
PATENT_TYPE = "patent_type"
IPC_SECTION = "ipc_section"
IPC_CLASS = "ipc_class"  # 'H01': the section letter and two digits of any of the listing's IPC codes
CITY = "city"
CENTRE = "centre"  # the hosting centre and every centre above it, so a centre filter includes its sub-centres
SELLER_KIND = "seller_kind"
PRICE_BAND = "price_band"
LEGAL_STATUS = "legal_status"
FACETS = (MODE, PATENT_TYPE, IPC_SECTION, IPC_CLASS, CITY, CENTRE, SELLER_KIND, PRICE_BAND, LEGAL_STATUS)

# The kinds of document the index holds: listings (patents on offer), and technology demands, which the demands
# app describes to search with `DemandDocument`s (search.kinds; search never reads a demand model).
LISTINGS = "listings"
DEMANDS = "demands"
KINDS = (LISTINGS, DEMANDS)
# A demand's facets: its technology field (an IPC section letter), its region (CITY) and the deals it accepts.
FIELD = "field"
DEAL_KIND = "deal_kind"
DEMAND_FACETS = (FIELD, CITY, DEAL_KIND)
FACETS_OF_KIND = {LISTINGS: FACETS, DEMANDS: DEMAND_FACETS}

SORTS = ("relevance", "newest", "price_asc", "price_desc")
SORTS_OF_KIND = {LISTINGS: SORTS, DEMANDS: ("relevance", "newest")}
# How much of a summary a hit shows: a window around the first match.
SUMMARY_SNIPPET_CHARS = 160


@dataclass(frozen=True)
class ListingDocument:
    id: int
    title: str
    summary: str
    # Further text: application fields, comparison, each patent's title, abstract and first claim.
    body_texts: tuple[str, ...]
    application_numbers: tuple[str, ...]  # normalised, '201710601862.3'
    application_number_digits: tuple[str, ...]  # '201710601862'
    ipc_codes: tuple[str, ...]  # 'H01M 4/525'
    ipc_prefixes: tuple[str, ...]  # 'H', 'H01', 'H01M', 'H01M 4/'
    applicant_names: tuple[str, ...]
    inventor_names: tuple[str, ...]
    seller_name: str
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    published_at: datetime | None = None
    # The seller's own English version (marketplace.core.languages), '' when there is none: searched, never shown
    # by the backends (the finder highlights the English text it shows itself).
    title_en: str = ""
    summary_en: str = ""
    price_fen: int | None = None  # for sorting: the asking price, else the lowest open amount


@dataclass(frozen=True)
class DemandDocument:
    """What the index knows about a published technology demand (built by the demands app, which registers its
    documents with search: search.kinds). Text is searched like a listing's: title first, then the description
    and the rest; the English version by the English analyser; IPC codes as identifiers."""

    id: int
    title: str
    summary: str  # the description, as written
    body_texts: tuple[str, ...] = ()
    ipc_codes: tuple[str, ...] = ()  # 'H01M', 'H01M 4/': the leading parts of codes a firm gave
    organisation_name: str = ""
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)  # FIELD, CITY, DEAL_KIND
    published_at: datetime | None = None
    title_en: str = ""
    summary_en: str = ""


@dataclass(frozen=True)
class BackendHealth:
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class SearchQuery:
    """What to look for.

    `filters` maps a facet (see `FACETS`) to the values wanted: values of one facet are ORed,
    facets are ANDed. `facets` names the facets to count; a facet's counts ignore that facet's own filter, so
    they show what clicking another value would give. `page` starts at 1.
    """

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = ()
    # Which documents to look for: listings by default, or demands (DEMAND_FACETS and SORTS_OF_KIND apply).
    kind: str = LISTINGS

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown kind {self.kind!r}; expected one of {KINDS}")
        known = FACETS_OF_KIND[self.kind]
        unknown = (set(self.filters) | set(self.facets)) - set(known)
        if unknown:
            raise ValueError(f"Unknown facets {sorted(unknown)} for {self.kind}; expected some of {known}")
        if self.sort not in SORTS_OF_KIND[self.kind]:
            raise ValueError(f"Unknown sort {self.sort!r} for {self.kind}; expected one of {SORTS_OF_KIND[self.kind]}")
        if self.page < 1 or not 1 <= self.page_size <= 100:
            raise ValueError("page starts at 1; page_size is between 1 and 100")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def active_filters(self, *, except_facet: str | None = None) -> dict[str, list[str]]:
        """The filters that narrow the results (empty value lists narrow nothing), without one facet's own."""
        return {
            facet: [str(value) for value in values]
            for facet, values in self.filters.items()
            if values and facet != except_facet
        }


@dataclass(frozen=True)
class SearchHit:
    """One listing (or demand, for a demand query) found. `title_html` / `summary_html` are escaped user text
    with <mark> around matches."""

    id: int
    score: float | None
    title_html: str
    summary_html: str


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: list[SearchHit]
    facet_counts: dict[str, dict[str, int]]
    page: int
    page_size: int

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class BaseSearchBackend:
    """What every listing-search backend offers. Concrete backends live beside this module.

    Only published listings are in the index: `add` replaces whatever the index held for that listing, and
    `delete` is a no-op for a listing it does not hold.
    """

    def __init__(self, *, alias: str, **params):
        self.alias = alias
        self.params = params

    def healthcheck(self) -> BackendHealth:
        raise NotImplementedError

    def add(self, document: "ListingDocument") -> None:
        self.add_bulk([document])

    def add_bulk(self, documents: list["ListingDocument"]) -> None:
        raise NotImplementedError

    def delete(self, listing_id: int) -> None:
        raise NotImplementedError

    def reset_index(self) -> None:
        """Empty the index (and create it where the backend needs that)."""
        raise NotImplementedError

    def reset_index_for_rebuild(self) -> None:
        """Empty the index before a rebuild refills it. A backend may also set aside what only slows a bulk load
        down (the database backend's text indexes, built again at once afterwards), provided `optimise_index`,
        which every rebuild calls at the end, puts it back. By default, `reset_index`."""
        self.reset_index()

    def rebuild(self, batches: Iterable[list["ListingDocument"]]) -> int:
        """Replace everything the index holds with these documents, given in batches; returns how many there were.

        This default empties the index first, so searches find only what has been added so far. A backend that
        can fill a new index beside the live one and then switch to it (Elasticsearch, with an alias) overrides it.
        """
        self.reset_index_for_rebuild()
        indexed = 0
        for batch in batches:
            self.add_bulk(batch)
            indexed += len(batch)
        self.optimise_index()
        return indexed

    @property
    def fills_in_parallel(self) -> bool:
        """Whether several processes may `add_bulk` at once between `reset_index` and `optimise_index`, as a
        parallel rebuild does. Not by default: a backend that rebuilds beside the live index must say so."""
        return False

    def optimise_index(self) -> None:
        """After a bulk load: put back what `reset_index_for_rebuild` set aside and bring query-planning statistics
        up to date; a no-op where not needed."""

    def document_count(self) -> int:
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResults:
        """Listings, or demands when `query.kind` is DEMANDS."""
        raise NotImplementedError

    # --- The second kind of document: technology demands --------------------------------------------------
    # A separate index beside the listings' (its own tables, its own Elasticsearch alias), so nothing a listing
    # search reads or ranks changes; `search(SearchQuery(kind=DEMANDS, ...))` reads it.

    def add_demands(self, documents: list[DemandDocument]) -> None:
        """Index these demands, replacing whatever the index held for each."""
        raise NotImplementedError

    def delete_demand(self, demand_id: int) -> None:
        """A no-op for a demand the index does not hold."""
        raise NotImplementedError

    def rebuild_demands(self, documents: list[DemandDocument]) -> int:
        """Replace every demand the index holds with these; returns how many."""
        raise NotImplementedError

    def demand_count(self) -> int:
        raise NotImplementedError

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Titles of listings whose title has a word starting with what the user has typed so far."""
        raise NotImplementedError
