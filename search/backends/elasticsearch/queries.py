"""The request bodies: what the user typed as an Elasticsearch query, the faceted search around it, and the title
suggestions. Pure functions of their arguments, so the offline tests compare dicts without a cluster."""

import re
import unicodedata

from elasticsearch.dsl import FacetedSearch, Search, TermsFacet
from elasticsearch.dsl.query import MatchAll

from search.backends.base import DEMAND_FACETS, DEMANDS, FACETS, SUMMARY_SNIPPET_CHARS, SearchQuery
from search.es_mapping import DEFAULT_ANALYZER, Analysis, analysis_for
from search.text import (  # the database backend's query normalisation, so both backends read a query alike
    _NUMBER_PREFIX_MIN_DIGITS,
    _SPACED_IPC,
    _SPACED_NUMBER,
    _gram_match,
    _ipc_match,
    _number_match,
)

FACET_SIZE = 200  # more values than any facet has (cities, centres), so no count is cut off
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's index.max_result_window: pages beyond it come back empty
IDENTIFIER_BOOST = 2.0
TIE_BREAKER = 0.3

# Main text fields, analysed with the chosen analyzer: a title match counts most, then names (like the identifiers).
TEXT_FIELDS = ["title^4", "names^2", "summary", "body"]
# The same text analysed by the built-in `english` analyzer, so batteries finds battery.
ENGLISH_FIELDS = ["title.english^4", "title_en^4", "summary.english", "summary_en", "body.english"]
# The same text one token per Chinese character: the fallback for a Chinese word the analyzer cut differently in
# the text, or a single character inside words. Its constant score is far below any match of the words themselves.
CHAR_FIELDS = ["title.chars", "summary.chars", "body.chars", "names.chars"]
FALLBACK_SCORE = 0.0001

# Ties (and listings without a date or price) fall back to the newest listing id, so pages never overlap.
_NEWEST = [{"published_at": {"order": "desc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}]
SORTS = {
    "relevance": ["_score", {"listing_id": {"order": "desc"}}],
    "newest": _NEWEST,
    "price_asc": [{"price_fen": {"order": "asc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}],
    "price_desc": [{"price_fen": {"order": "desc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}],
}

_HAS_WORD = re.compile(r"[^\W_]")


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
    queries = [
        {"multi_match": {**common, **match, "fields": TEXT_FIELDS}},
        {"multi_match": {**common, "type": "phrase", "fields": ENGLISH_FIELDS}},
    ]
    if _gram_match(word):  # one run of Chinese, as the database backend's gram fallback
        characters = {"multi_match": {"query": word, "type": "phrase", "fields": CHAR_FIELDS}}
        queries.append({"constant_score": {"filter": characters, "boost": FALLBACK_SCORE}})
    return {"dis_max": {"queries": queries, "tie_breaker": TIE_BREAKER}}


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


# A demand's sorts: its own id breaks ties.
_DEMANDS_NEWEST = [{"published_at": {"order": "desc", "missing": "_last"}}, {"demand_id": {"order": "desc"}}]
DEMAND_SORTS = {"relevance": ["_score", {"demand_id": {"order": "desc"}}], "newest": _DEMANDS_NEWEST}


class DemandFacetedSearch(ListingFacetedSearch):
    """The same text query as for listings (`text_query`: the same fields, the same fallbacks), over the demands'
    index, with the demands' facets and sorts."""

    def __init__(self, query: SearchQuery, *, analyzer: str, index: str, using="default"):
        self.index = index
        self.using = using
        self.facets = {facet: TermsFacet(field=facet, size=FACET_SIZE) for facet in DEMAND_FACETS}
        self.search_query = query
        self.text_query = text_query(query.text, analyzer)
        self.scored = self.text_query is not None and query.sort == "relevance"
        sort = "newest" if query.sort == "relevance" and self.text_query is None else query.sort
        FacetedSearch.__init__(self, self.text_query, filters=query.active_filters(), sort=DEMAND_SORTS[sort])


def faceted_search(query: SearchQuery, *, analyzer: str, index: str, using="default") -> ListingFacetedSearch:
    """The faceted search for a query of either kind (`query.kind`), over the given index (alias)."""
    searcher = DemandFacetedSearch if query.kind == DEMANDS else ListingFacetedSearch
    return searcher(query, analyzer=analyzer, index=index, using=using)


def build_search(query: SearchQuery, analyzer: str = DEFAULT_ANALYZER) -> dict:
    """The search request body for a query (of listings, or of demands when `query.kind` says so)."""
    index = DEMANDS if query.kind == DEMANDS else "listings"
    return faceted_search(query, analyzer=analyzer, index=index).build_search().to_dict()


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
