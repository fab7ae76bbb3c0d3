"""The default backend: search in the platform's own database (SQLite FTS5 or PostgreSQL full-text search).

Text is segmented in Python (`search.text`) and stored as tokens, because neither engine segments Chinese.
Facets and sort keys live in ordinary tables (`search.models`), so a search without words is plain SQL on both
engines. A search with words differs by engine, and the difference stays in `sqlite.SqliteText` and
`postgres.PostgresText`; both count facets with `matches.tally`. Design: docs/search.md.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, QuerySet

from search.backends.base import (
    DEMANDS,
    SUMMARY_SNIPPET_CHARS,
    BackendHealth,
    BaseSearchBackend,
    DemandDocument,
    ListingDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.backends.database.documents import DocumentIndex
from search.backends.database.halves import HALVES
from search.backends.database.matches import tally
from search.backends.database.postgres import PostgresText
from search.backends.database.rows import (
    entry_for,
    facet_keys_of,
    facet_set_ids,
    facet_values_for,
    keys_for,
)
from search.backends.database.sqlite import SqliteText
from search.models import SearchEntry, SearchEntryKeys, SearchFacetValue
from search.text import Clause, Match, highlight, parse_query, segment

__all__ = ["HALVES", "DatabaseSearchBackend", "SearchBackend"]

# The PostgreSQL engine's limits, read each time an engine is built. Below this many ids between a relevance
# page's bounds, the page is read by id rather than through the GIN index.
_IDS_READ_ONE_BY_ONE = 1_000
# How many facet sets' keys a process keeps; past this many, it starts again (a million listings have ~20,000).
_FACET_KEYS_KEPT = 200_000

# Ties (and listings without a date or price) fall back to the newest listing id, so pages never overlap.
_ORDERINGS = {
    "newest": (F("published_at").desc(nulls_last=True), "-listing_id"),
    "relevance": (F("published_at").desc(nulls_last=True), "-listing_id"),  # when there is no text
    "price_asc": (F("price_fen").asc(nulls_last=True), "-listing_id"),
    "price_desc": (F("price_fen").desc(nulls_last=True), "-listing_id"),
}


class DatabaseSearchBackend(BaseSearchBackend):
    @property
    def _text(self) -> SqliteText | PostgresText:
        if connection.vendor == "sqlite":
            return SqliteText()
        if connection.vendor == "postgresql":
            return PostgresText(ids_read_one_by_one=_IDS_READ_ONE_BY_ONE, facet_keys_kept=_FACET_KEYS_KEPT)
        raise ImproperlyConfigured(f"The database search backend does not support {connection.vendor}.")

    def healthcheck(self) -> BackendHealth:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            return BackendHealth(ok=False, detail=str(error))
        return BackendHealth(ok=True, detail=f"database ({connection.vendor})")

    # --- Writing ------------------------------------------------------------------------------------------

    def add_bulk(self, documents: list[ListingDocument]) -> None:
        latest = {document.id: document for document in documents}
        if not latest:
            return
        ids = list(latest)
        text = self._text
        # SQLite's FTS5 reads the grams from the entry; PostgreSQL puts them in the keys row's document only.
        entries, grams = [], {}
        for document in latest.values():
            entry, grams[document.id] = entry_for(document, with_grams=text.GRAMS_IN_ENTRY)
            entries.append(entry)
        facet_keys = {document.id: facet_keys_of(document) for document in latest.values()}
        facet_values = [value for document in latest.values() for value in facet_values_for(document)]
        with transaction.atomic():
            self._remove(ids)
            set_ids = facet_set_ids(facet_keys.values())
            keys = [keys_for(document, set_ids[facet_keys[document.id]]) for document in latest.values()]
            with connection.cursor() as cursor:
                text.insert(cursor, entries, facet_values, keys, grams)

    def delete(self, listing_id: int) -> None:
        with transaction.atomic():
            self._remove([listing_id])

    def _remove(self, ids: list[int]) -> None:
        # The text index first: on SQLite it needs the entry's old tokens to remove them.
        with connection.cursor() as cursor:
            self._text.remove(cursor, ids)
        SearchFacetValue.objects.filter(entry_id__in=ids).delete()
        SearchEntryKeys.objects.filter(listing_id__in=ids).delete()
        SearchEntry.objects.filter(listing_id__in=ids).delete()

    def reset_index(self) -> None:
        # Plain DELETEs: the ORM would read every entry first to cascade to its facet rows. Inside a caller's
        # transaction, no TRUNCATE: PostgreSQL refuses it on a table whose foreign-key checks are still pending.
        on_its_own = not connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            self._text.reset(cursor, truncate=on_its_own)
            for table in ("search_facet_value", "search_entry_keys", "search_entry"):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            # The other kinds' documents too (demands): the whole index is empty.
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO search_document_fts(search_document_fts) VALUES('delete-all')")
            cursor.execute("DELETE FROM search_document_entry")

    def reset_index_for_rebuild(self) -> None:
        self.reset_index()
        with connection.cursor() as cursor:
            self._text.set_aside_indexes(cursor)

    @property
    def fills_in_parallel(self) -> bool:
        # PostgreSQL takes concurrent writers; SQLite has one writer at a time.
        return connection.vendor == "postgresql"

    def optimise_index(self) -> None:
        with connection.cursor() as cursor:
            self._text.optimise(cursor)

    def document_count(self) -> int:
        return SearchEntry.objects.count()

    # --- Reading ------------------------------------------------------------------------------------------

    def _filtered(self, filters: dict[str, list[str]]) -> QuerySet[SearchEntryKeys]:
        entries = SearchEntryKeys.objects.all()
        for facet, values in filters.items():
            # Values of one facet OR (any of them), facets AND (one subquery each).
            with_value = SearchFacetValue.objects.filter(facet=facet, value__in=values).values("entry_id")
            entries = entries.filter(listing_id__in=with_value)
        return entries

    def _facet_tally(self, query: SearchQuery) -> tuple[int, dict[str, dict[str, int]]]:
        """The total and every facet count in one query: the index grouped by facet set (a few thousand sets),
        filtered and counted in Python as a search with words is (`matches.tally`)."""
        groups = (
            SearchEntryKeys.objects.order_by()
            .values_list("facet_set__facet_keys")
            .annotate(entries=Count("listing_id"))
        )
        return tally([(tuple(facet_keys.split()), entries) for facet_keys, entries in groups], query)

    def search(self, query: SearchQuery) -> SearchResults:
        if query.kind == DEMANDS:
            return self._search_demands(query)
        clauses = parse_query(query.text)
        if clauses:
            total, page, facet_counts = self._text.search_text(clauses, query)
            return self._results(query, total, page, facet_counts)
        return self._search_filters_only(query)

    def _search_filters_only(self, query: SearchQuery) -> SearchResults:
        """No words: the total and the facet counts from the index grouped by facet set, the page through the
        facet rows' indexes. Two queries, whatever the filters."""
        matching = self._filtered(query.active_filters())
        if query.facets:
            total, facet_counts = self._facet_tally(query)
        else:
            total, facet_counts = matching.count(), {}
        page = []
        if query.offset < total:
            ordered = matching.order_by(*_ORDERINGS[query.sort]).values_list("listing_id", flat=True)
            page = [(listing_id, None) for listing_id in ordered[query.offset : query.offset + query.page_size]]
        return self._results(query, total, page, facet_counts)

    def _results(
        self, query: SearchQuery, total: int, page: list[tuple[int, float | None]], facet_counts: dict
    ) -> SearchResults:
        if not page:
            return SearchResults(
                total=total, hits=[], facet_counts=facet_counts, page=query.page, page_size=query.page_size
            )
        entries = SearchEntry.objects.only("title", "summary").in_bulk([listing_id for listing_id, _ in page])
        hits = [
            SearchHit(
                id=listing_id,
                score=score,
                title_html=highlight(entries[listing_id].title, query.text),
                summary_html=highlight(entries[listing_id].summary, query.text, max_chars=SUMMARY_SNIPPET_CHARS),
            )
            for listing_id, score in page
        ]
        return SearchResults(
            total=total,
            hits=hits,
            facet_counts=facet_counts,
            page=query.page,
            page_size=query.page_size,
        )

    # --- Demands ------------------------------------------------------------------------------------------

    @property
    def _demands(self) -> DocumentIndex:
        return DocumentIndex(DEMANDS)

    def add_demands(self, documents: list[DemandDocument]) -> None:
        self._demands.add(documents)

    def delete_demand(self, demand_id: int) -> None:
        self._demands.remove([demand_id])

    def rebuild_demands(self, documents: list[DemandDocument]) -> int:
        with transaction.atomic():  # searches see the old demands or the new, never none
            self._demands.reset()
            self._demands.add(documents)
        return len({document.id for document in documents})

    def demand_count(self) -> int:
        return self._demands.count()

    def _search_demands(self, query: SearchQuery) -> SearchResults:
        total, page, facet_counts = self._demands.search(query)
        texts = self._demands.titles_and_summaries([document_id for document_id, _ in page])
        hits = [
            SearchHit(
                id=document_id,
                score=score,
                title_html=highlight(texts[document_id][0], query.text),
                summary_html=highlight(texts[document_id][1], query.text, max_chars=SUMMARY_SNIPPET_CHARS),
            )
            for document_id, score in page
            if document_id in texts
        ]
        return SearchResults(
            total=total, hits=hits, facet_counts=facet_counts, page=query.page, page_size=query.page_size
        )

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        tokens = segment(prefix)
        if not tokens:
            return []
        # The last word is probably still being typed: match it as a prefix, in titles only.
        expression = self._text.compile([Clause((Match(tuple(tokens), prefix=True),))], title_only=True)
        # Several listings may share a title: fetch a few more and keep each title once.
        page = self._text.best(expression, limit * 3)
        titles = SearchEntry.objects.in_bulk([listing_id for listing_id, _ in page])
        ordered = [titles[listing_id].title for listing_id, _ in page if listing_id in titles]
        return list(dict.fromkeys(ordered))[:limit]


SearchBackend = DatabaseSearchBackend
