"""Listing search on an Elasticsearch 8 or 9 cluster, written with the DSL that ships in the client
(`elasticsearch.dsl`). The client is 8.x: it talks to Elasticsearch 8 and, through REST compatibility, to 9.

Same semantics as the database backend (`search.backends.database`): the words of a query are ANDed, and each word
may match the text, an application number (exactly) or an IPC code (by prefix), read with the database backend's
own query normalisation (`search.text`); facet values of one facet are ORed, facets ANDed; a facet's counts ignore
its own filter (FacetedSearch puts the filters in `post_filter` and each facet's aggregation under a filter of the
*other* facets).

Everything that builds a request body is a pure function (`text_query`, `build_search`, `build_suggest`,
`alias_swap_actions`) so the offline tests compare dicts without a cluster; importing this module or constructing the
backend makes no request.

The index is reached through an alias (INDEX). `reset_index` and `rebuild` create `<alias>-<timestamp>`, and an
atomic `update_aliases` moves the alias to it before the old index is deleted: searches never see a half-built index.
Writes made by the receivers while a rebuild runs go to the old index and are lost with it; the next change to such
a listing (or the next rebuild) brings it back.
"""

import html
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import ApiError, TransportError, helpers
from elasticsearch.dsl import FacetedSearch, Search, TermsFacet, connections
from elasticsearch.dsl.query import MatchAll

from search.backends.base import (
    FACETS,
    BackendHealth,
    BaseSearchBackend,
    ListingDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.es_mapping import DEFAULT_ANALYZER, Analysis, analysis_for, bulk_action, listing_index
from search.text import (  # the database backend's query normalisation, so both backends read a query alike
    _NUMBER_PREFIX_MIN_DIGITS,
    _SPACED_IPC,
    _SPACED_NUMBER,
    _ipc_match,
    _number_match,
    highlight,
)

SUMMARY_SNIPPET_CHARS = 160
FACET_SIZE = 200  # more values than any facet has (cities, centres), so no count is cut off
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's index.max_result_window: pages beyond it come back empty
IDENTIFIER_BOOST = 2.0
TIE_BREAKER = 0.3

# Main text fields, analysed with the chosen analyzer: a title match counts most, then names (like the identifiers).
TEXT_FIELDS = ["title^4", "names^2", "summary", "body"]
# The same text analysed by the built-in `english` analyzer, so batteries finds battery.
ENGLISH_FIELDS = ["title.english^4", "summary.english", "body.english"]

# Ties (and listings without a date or price) fall back to the newest listing id, so pages never overlap.
_NEWEST = [{"published_at": {"order": "desc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}]
SORTS = {
    "relevance": ["_score", {"listing_id": {"order": "desc"}}],
    "newest": _NEWEST,
    "price_asc": [{"price_fen": {"order": "asc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}],
    "price_desc": [{"price_fen": {"order": "desc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}],
}

_HAS_WORD = re.compile(r"[^\W_]")


# --- Query bodies ---------------------------------------------------------------------------------------------


def _identifier_query(field: str, token: str, *, prefix: bool) -> dict:
    kind = "prefix" if prefix else "term"
    return {kind: {field: {"value": token, "boost": IDENTIFIER_BOOST}}}


def _number_query(text: str) -> dict | None:
    match = _number_match(text)
    return _identifier_query("application_numbers", match.tokens[0], prefix=False) if match else None


def _ipc_query(text: str) -> dict | None:
    match = _ipc_match(text)
    return _identifier_query("ipc", match.tokens[0], prefix=match.prefix) if match else None


def _number_prefix_query(word: str) -> dict | None:
    """The start of an application number ('2019100000'): its digits as a prefix, as the database backend does."""
    digits = re.sub(r"^(?:CN|ZL)|\.", "", word.upper())
    if digits.isdigit() and len(digits) >= _NUMBER_PREFIX_MIN_DIGITS:
        return _identifier_query("application_numbers", digits, prefix=True)
    return None


def _words_query(word: str, analysis: Analysis) -> dict:
    # zero_terms_query: a word the analyzers drop entirely (an English stop word) narrows nothing, as in the
    # database backend, instead of emptying the results.
    common = {"query": word, "tie_breaker": TIE_BREAKER, "zero_terms_query": "all"}
    match = {"type": "phrase"} if analysis.words_as_phrase else {"type": "best_fields", "operator": "and"}
    return {
        "dis_max": {
            "queries": [
                {"multi_match": {**common, **match, "fields": TEXT_FIELDS}},
                {"multi_match": {**common, "type": "phrase", "fields": ENGLISH_FIELDS}},
            ],
            "tie_breaker": TIE_BREAKER,
        }
    }


def _word_query(word: str, analysis: Analysis) -> dict | None:
    alternatives = [
        _number_query(word) or _number_prefix_query(word),
        _ipc_query(word),
        _words_query(word, analysis) if _HAS_WORD.search(word) else None,
    ]
    alternatives = [alternative for alternative in alternatives if alternative]
    if len(alternatives) > 1:
        return {"bool": {"should": alternatives, "minimum_should_match": 1}}
    return alternatives[0] if alternatives else None


def text_query(text: str, analyzer: str = DEFAULT_ANALYZER) -> dict | None:
    """The query for what the user typed, or None when it holds nothing to look for (then every listing matches).

    Like `search.text.parse_query`: application numbers and IPC codes written with spaces are taken out first,
    then every word must match, as text, as an application number or as an IPC code.
    """
    analysis = analysis_for(analyzer)
    text = unicodedata.normalize("NFKC", text or "").strip()
    clauses: list[dict] = []
    for pattern, to_query in ((_SPACED_NUMBER, _number_query), (_SPACED_IPC, _ipc_query)):
        for found in list(pattern.finditer(text)):
            clause = to_query(found.group())
            if clause:
                clauses.append(clause)
                text = text.replace(found.group(), " ", 1)
    clauses.extend(clause for word in text.split() if (clause := _word_query(word, analysis)))
    return {"bool": {"must": clauses}} if clauses else None


class ListingFacetedSearch(FacetedSearch):
    """A `SearchQuery` as a FacetedSearch: every facet can filter, only the facets asked for are counted."""

    fields = [*TEXT_FIELDS, *ENGLISH_FIELDS]  # FacetedSearch highlights only when it has fields

    def __init__(self, query: SearchQuery, *, analyzer: str, index: str, using="default"):
        self.index = index
        self.using = using
        self.facets = {facet: TermsFacet(field=facet, size=FACET_SIZE) for facet in FACETS}
        self.search_query = query
        self.text_query = text_query(query.text, analyzer)
        self.scored = self.text_query is not None and query.sort == "relevance"
        # Without words to rank by, "relevance" lists the newest first, as the database backend does.
        sort = "newest" if query.sort == "relevance" and self.text_query is None else query.sort
        super().__init__(self.text_query, filters=query.active_filters(), sort=SORTS[sort])

    def search(self):
        query = self.search_query
        start, end = query.offset, query.offset + query.page_size
        if end > MAX_RESULT_WINDOW:
            start = end = 0  # still ask for the total and the facet counts
        search = super().search().extra(track_total_hits=True).source(["title", "summary"])[start:end]
        return search.extra(track_scores=True) if self.scored else search

    def query(self, search, query):
        return search.query(query)

    def highlight(self, search):
        if self.text_query is None:
            return search
        return (
            search.highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html")
            .highlight("title", "title.english", number_of_fragments=0)
            .highlight("summary", "summary.english", fragment_size=SUMMARY_SNIPPET_CHARS, number_of_fragments=1)
        )

    def aggregate(self, search) -> None:
        # FacetedSearch.aggregate counts every facet; count only those asked for, each under the other facets'
        # filters (not its own), exactly as the base class builds them.
        for name in self.search_query.facets:
            others = MatchAll()
            for other, facet_filter in self._filters.items():
                if other != name:
                    others &= facet_filter
            search.aggs.bucket(f"_filter_{name}", "filter", filter=others).bucket(
                name, self.facets[name].get_aggregation()
            )


def build_search(query: SearchQuery, analyzer: str = DEFAULT_ANALYZER) -> dict:
    """The search request body for a query."""
    return ListingFacetedSearch(query, analyzer=analyzer, index="listings").build_search().to_dict()


def suggest_search(prefix: str, limit: int, *, index: str = "listings", using="default") -> Search | None:
    """Titles with a word starting with the prefix: the last word may still be being typed. None: nothing typed."""
    prefix = unicodedata.normalize("NFKC", prefix or "").strip()
    if not _HAS_WORD.search(prefix):
        return None
    # Several listings may share a title: ask for a few more and keep each title once.
    search = Search(index=index, using=using).query("match_phrase_prefix", title={"query": prefix})
    return search.source(["title"]).sort("_score", {"listing_id": {"order": "desc"}})[: limit * 3]


def build_suggest(prefix: str, limit: int) -> dict | None:
    """The suggestion request body, or None when nothing was typed."""
    search = suggest_search(prefix, limit)
    return search.to_dict() if search is not None else None


# --- Responses ------------------------------------------------------------------------------------------------

_MARK_TAGS = re.compile(r"(</?mark>)")


def clean_highlight(fragment: str) -> str:
    """An Elasticsearch fragment escaped exactly like `search.text.highlight` (the html encoder also escapes '/'),
    with touching <mark> runs joined: CJK bigrams and English words come back as separate matches."""
    pieces = _MARK_TAGS.split(fragment)
    escaped = "".join(piece if _MARK_TAGS.fullmatch(piece) else html.escape(html.unescape(piece)) for piece in pieces)
    return escaped.replace("</mark><mark>", "")


def _first_fragment(highlights: dict, fields: tuple[str, ...]) -> str | None:
    # The main field first: the english sub-field marks CJK text one character at a time.
    for field in fields:
        if highlights.get(field):
            return clean_highlight(highlights[field][0])
    return None


def _summary_html(summary: str, highlights: dict) -> str:
    fragment = _first_fragment(highlights, ("summary", "summary.english"))
    if fragment is None:
        return highlight(summary, "", max_chars=SUMMARY_SNIPPET_CHARS)
    plain = html.unescape(_MARK_TAGS.sub("", fragment)).strip()
    before = "" if summary.strip().startswith(plain) else "…"
    after = "" if summary.strip().endswith(plain) else "…"
    return f"{before}{fragment}{after}"


def _hit(raw: dict, *, scored: bool) -> SearchHit:
    source, highlights = raw.get("_source", {}), raw.get("highlight", {})
    title = source.get("title", "")
    return SearchHit(
        id=int(raw["_id"]),
        score=raw.get("_score") if scored else None,
        title_html=_first_fragment(highlights, ("title", "title.english")) or html.escape(title),
        summary_html=_summary_html(source.get("summary", ""), highlights),
    )


def results_from_response(response: dict, query: SearchQuery, *, scored: bool) -> SearchResults:
    """A search response body as SearchResults."""
    aggregations = response.get("aggregations", {})
    return SearchResults(
        total=response["hits"]["total"]["value"],
        hits=[_hit(raw, scored=scored) for raw in response["hits"]["hits"]],
        facet_counts={
            facet: {bucket["key"]: bucket["doc_count"] for bucket in aggregations[f"_filter_{facet}"][facet]["buckets"]}
            for facet in query.facets
        },
        page=query.page,
        page_size=query.page_size,
    )


# --- Indexes and the alias ------------------------------------------------------------------------------------


def new_index_name(alias: str, now: datetime) -> str:
    return f"{alias}-{now:%Y%m%d%H%M%S%f}"


def alias_swap_actions(alias: str, new_index: str, old_indices: Iterable[str], *, alias_is_index: bool = False) -> list:
    """One atomic update_aliases request: the alias leaves the old indexes and points at the new one.

    When a plain index already has the alias's name (created by a write before any alias existed), it is removed
    in the same request, since an alias cannot share a name with an index.
    """
    if alias_is_index:
        removals = [{"remove_index": {"index": alias}}]
    else:
        removals = [{"remove": {"index": index, "alias": alias}} for index in sorted(old_indices) if index != new_index]
    return [*removals, {"add": {"index": new_index, "alias": alias}}]


class ElasticsearchSearchBackend(BaseSearchBackend):
    """SEARCH_BACKENDS options: URLS (list), INDEX (the alias), ANALYZER (cjk / smartcn / ik_max_word),
    optionally OPTIONS (keyword arguments for the Elasticsearch client: api_key, basic_auth, ca_certs ...),
    INDEX_SETTINGS (merged into the index settings) and REFRESH (how writes wait to be searchable; "wait_for")."""

    def __init__(self, *, alias: str, **params):
        super().__init__(alias=alias, **params)
        urls = [url for url in params.get("URLS", []) if url]
        if not urls:
            raise ImproperlyConfigured("The Elasticsearch search backend needs URLS (ELASTICSEARCH_URL).")
        self.index_alias = params.get("INDEX", "ipmarket-listings")
        self.analyzer = params.get("ANALYZER") or DEFAULT_ANALYZER
        analysis_for(self.analyzer)
        self.index_settings = dict(params.get("INDEX_SETTINGS", {}))
        self.refresh = params.get("REFRESH", "wait_for")
        # A connection of its own in the DSL's registry; creating it makes no request.
        self.using = f"search-{alias}"
        connections.create_connection(alias=self.using, hosts=urls, **params.get("OPTIONS", {}))
        self._index_ready = False

    @property
    def client(self):
        return connections.get_connection(self.using)

    def healthcheck(self) -> BackendHealth:
        analyzer = analysis_for(self.analyzer).index
        try:
            version = self.client.info()["version"]["number"]
            status = self.client.cluster.health()["status"]
        except (ApiError, TransportError) as error:
            # str() of a transport error is only its class ("Connection error"); the message says what failed.
            return BackendHealth(ok=False, detail=f"elasticsearch: {getattr(error, 'message', error)}")
        try:
            self.client.indices.analyze(analyzer=analyzer, text="锂电池")
        except ApiError:
            return BackendHealth(ok=False, detail=f"elasticsearch {version}: analyzer {analyzer} missing (plugin?)")
        detail = f"elasticsearch {version} (cluster {status}, alias {self.index_alias}, analyzer {self.analyzer})"
        return BackendHealth(ok=status != "red", detail=detail)

    # --- Writing ------------------------------------------------------------------------------------------

    def _ensure_index(self) -> None:
        # A write to a missing alias would let Elasticsearch create an index with a guessed mapping.
        if not self._index_ready:
            if not self.client.indices.exists(index=self.index_alias):
                self.reset_index()
            self._index_ready = True

    def _bulk(self, documents: Iterable[ListingDocument], *, index: str, refresh) -> None:
        actions = (bulk_action(document, index, self.analyzer) for document in documents)
        helpers.bulk(self.client, actions, refresh=refresh)

    def add_bulk(self, documents: list[ListingDocument]) -> None:
        latest = {document.id: document for document in documents}
        if latest:
            self._ensure_index()
            self._bulk(latest.values(), index=self.index_alias, refresh=self.refresh)

    def delete(self, listing_id: int) -> None:
        self._ensure_index()
        self.client.options(ignore_status=404).delete(index=self.index_alias, id=str(listing_id), refresh=self.refresh)

    def _create_index(self, *, loading: bool = False) -> str:
        name = new_index_name(self.index_alias, timezone.now())
        settings = {**self.index_settings, **({"refresh_interval": "-1"} if loading else {})}
        listing_index(name, self.analyzer, settings).create(using=self.using)
        return name

    def _point_alias_at(self, name: str) -> None:
        indices = self.client.indices
        old: list[str] = []
        alias_is_index = False
        if indices.exists_alias(name=self.index_alias):
            old = sorted(indices.get_alias(name=self.index_alias))
        elif indices.exists(index=self.index_alias):
            alias_is_index = True
        indices.update_aliases(actions=alias_swap_actions(self.index_alias, name, old, alias_is_index=alias_is_index))
        for index in old:
            if index != name:
                self.client.options(ignore_status=404).indices.delete(index=index)
        self._index_ready = True

    def reset_index(self) -> None:
        self._point_alias_at(self._create_index())

    def rebuild(self, batches: Iterable[list[ListingDocument]]) -> int:
        """Fill a new index while the old one keeps answering, then move the alias to it in one atomic step."""
        name = self._create_index(loading=True)
        indexed = 0
        try:
            for batch in batches:
                self._bulk(batch, index=name, refresh=False)
                indexed += len(batch)
            self.client.indices.put_settings(
                index=name, settings={"index": {"refresh_interval": self.index_settings.get("refresh_interval")}}
            )
            self.client.indices.refresh(index=name)
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=name)
            raise
        self._point_alias_at(name)
        return indexed

    def optimise_index(self) -> None:
        # Make everything written searchable. No force-merge: the index keeps receiving writes.
        self.client.indices.refresh(index=self.index_alias)

    def document_count(self) -> int:
        self._ensure_index()
        return self.client.count(index=self.index_alias)["count"]

    # --- Reading ------------------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        self._ensure_index()
        faceted = ListingFacetedSearch(query, analyzer=self.analyzer, index=self.index_alias, using=self.using)
        response = faceted.execute()
        return results_from_response(response.to_dict(), query, scored=faceted.scored)

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        search = suggest_search(prefix, limit, index=self.index_alias, using=self.using)
        if search is None:
            return []
        self._ensure_index()
        titles = [hit["_source"]["title"] for hit in search.execute().to_dict()["hits"]["hits"]]
        return list(dict.fromkeys(titles))[:limit]


SearchBackend = ElasticsearchSearchBackend
