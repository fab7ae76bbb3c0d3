"""The default backend: search in the platform's own database (SQLite FTS5 or PostgreSQL full-text search).

Text is segmented in Python (`search.text`) and stored as tokens, because neither engine segments Chinese
(STACK.md). Facets and sort keys live in ordinary tables (`search.models`), so a search without words is plain
SQL on both engines. A search with words differs by engine, and the difference stays in `_SqliteText` and
`_PostgresText` below: SQLite reads every match once and counts and sorts in Python; PostgreSQL, built for a
million listings, counts and sorts where the matches are. Both count facets with `_tally`.
"""

import contextlib
import heapq
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, QuerySet

from search.backends.base import (
    BackendHealth,
    BaseSearchBackend,
    ListingDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.models import SearchEntry, SearchEntryKeys, SearchFacetSet, SearchFacetValue
from search.text import (
    Clause,
    Match,
    application_number_tokens,
    highlight,
    ipc_tokens,
    parse_query,
    segment,
    subwords_of,
    title_words,
    token_string,
)

TOKEN_COLUMNS = ("title_tokens", "body_tokens", "identifier_tokens", "subword_tokens")
SUMMARY_SNIPPET_CHARS = 160


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


class _SqliteText:
    """FTS5 with search_entry as external content: a row's old tokens must be given to delete it."""

    # bm25 weight per column, in TOKEN_COLUMNS order: a title match counts most, a sub-word match least.
    BM25_WEIGHTS = "10.0, 2.0, 5.0, 1.0"

    def remove(self, cursor, ids: list[int]) -> None:
        columns = ", ".join(TOKEN_COLUMNS)
        cursor.execute(
            f"INSERT INTO search_fts(search_fts, rowid, {columns}) "  # noqa: S608 - fixed column names
            f"SELECT 'delete', listing_id, {columns} FROM search_entry WHERE listing_id IN ({_placeholders(ids)})",
            ids,
        )

    def insert(self, cursor, entries: list[SearchEntry], keys: list[SearchEntryKeys]) -> None:
        SearchEntryKeys.objects.bulk_create(keys)
        ids = [entry.listing_id for entry in entries]
        columns = ", ".join(TOKEN_COLUMNS)
        cursor.execute(
            f"INSERT INTO search_fts(rowid, {columns}) "  # noqa: S608 - fixed column names
            f"SELECT listing_id, {columns} FROM search_entry WHERE listing_id IN ({_placeholders(ids)})",
            ids,
        )

    def reset(self, cursor) -> None:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES('delete-all')")

    def optimise(self, cursor) -> None:
        # Without statistics SQLite's planner may re-run the FTS match for every row (12 s queries; STACK.md).
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
        cursor.execute("ANALYZE")

    def compile(self, clauses: list[Clause], *, title_only: bool = False) -> str:
        def phrase(match: Match) -> str:
            quoted = " ".join(token.replace('"', '""') for token in match.tokens)
            return f'"{quoted}"' + ("*" if match.prefix else "")

        expression = " AND ".join(
            "(" + " OR ".join(phrase(match) for match in clause.alternatives) + ")" for clause in clauses
        )
        return f"title_tokens : ({expression})" if title_only else expression

    def search_text(self, expression: str, query: SearchQuery) -> tuple[int, list[tuple[int, float | None]], dict]:
        """At 100,000 listings a common word matches a few thousand rows: read them once, with their scores and
        facet keys, and filter, count and sort them here. One query instead of a match per facet count."""
        with connection.cursor() as cursor:
            cursor.execute(
                # The date as a number (a Julian day): parsing thousands of datetimes would cost more than the search.
                f"SELECT k.listing_id, -bm25(search_fts, {self.BM25_WEIGHTS}), "  # noqa: S608 - fixed weights
                "s.facet_keys, julianday(k.published_at), k.price_fen "
                "FROM search_fts JOIN search_entry_keys k ON k.listing_id = search_fts.rowid "
                "JOIN search_facet_set s ON s.id = k.facet_set_id "
                "WHERE search_fts MATCH %s",
                [expression],
            )
            matches = [_Match(*row) for row in cursor.fetchall()]
        sets = Counter(match.facet_keys for match in matches)
        keys_of = {facet_keys: tuple(facet_keys.split()) for facet_keys in sets}
        total, facet_counts = _tally([(keys_of[facet_keys], count) for facet_keys, count in sets.items()], query)
        wanted = _wanted_keys(query.active_filters())
        passing = [match for match in matches if _passes(keys_of[match.facet_keys], wanted)] if wanted else matches
        first = heapq.nsmallest(query.offset + query.page_size, passing, key=_MATCH_ORDERINGS[query.sort])
        return total, [(match.listing_id, match.score) for match in first[query.offset :]], facet_counts

    def best(self, expression: str, limit: int) -> list[tuple[int, float]]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25(search_fts, {self.BM25_WEIGHTS}) AS rank FROM search_fts "  # noqa: S608
                "WHERE search_fts MATCH %s ORDER BY rank, rowid DESC LIMIT %s",
                [expression, limit],
            )
            # bm25 is lower for better matches; a score reads better the other way round.
            return [(listing_id, -rank) for listing_id, rank in cursor.fetchall()]


class _PostgresText:
    """tsvectors of the stored tokens with the `simple` configuration (which keeps our tokens as they are), held in
    the narrow keys row (migration 0005) so that a search reads one table.

    `document` is everything searchable; `title_document` is the title's words and the sub-words inside them. A
    common word matches tens of thousands of rows at a million listings, so each match may cost little and be read
    once per statement: one pass groups the matches by their facet set (a few thousand sets), which gives the total
    and every facet count, filtered or not (`_tally`); when the page needs them, a second finds the page's listings
    among the matches that pass the filters, in the page's order. Ranking scores only the matches with every word
    in the title, on that small vector and its own index; the other matches follow, newest first: scoring them
    would mean reading every matched document (~1.8 kB on average, most of them moved out of the row to TOAST,
    which is why a row is ~340 B: the title vector, ~140 B, stays inline).

    The table is split in halves by a hash of the listing id (migration 0007), and the first matches (the title
    matches, or by date or price the first in that order) and the grouping pass read both at once, on two
    connections (`_read_halves`): they are most of a search's time, and PostgreSQL plans no parallel scan for them.
    The rest of a relevance page, read after them, reads the table as a whole.
    """

    # Weights: title A, numbers / IPC / names B, summary and other text C, sub-words D.
    DOCUMENT_SQL = (
        "setweight(to_tsvector('simple', e.title_tokens), 'A')"
        " || setweight(to_tsvector('simple', e.identifier_tokens), 'B')"
        " || setweight(to_tsvector('simple', e.body_tokens), 'C')"
        " || setweight(to_tsvector('simple', e.subword_tokens), 'D')"
    )
    # Weighted A like the title in `document`, so a title-only query (suggestions) reads the same on both.
    TITLE_DOCUMENT_SQL = "setweight(to_tsvector('simple', v.title_words), 'A')"

    def remove(self, cursor, ids: list[int]) -> None:
        """Nothing to do: the vectors live in the keys row, deleted with it."""

    def insert(self, cursor, entries: list[SearchEntry], keys: list[SearchEntryKeys]) -> None:
        # The keys row is written once, with its vectors: filling them in afterwards would leave a dead copy of
        # every row behind (the vectors are indexed, so no update of them is in place).
        words = {entry.listing_id: title_words(entry.title_tokens) for entry in entries}
        rows = [
            (key.listing_id, key.facet_set_id, key.published_at, key.price_fen, words[key.listing_id]) for key in keys
        ]
        values = ", ".join(["(%s::bigint, %s::bigint, %s::timestamptz, %s::bigint, %s)"] * len(rows))
        cursor.execute(
            "INSERT INTO search_entry_keys "  # noqa: S608 - fixed SQL
            "(listing_id, facet_set_id, published_at, price_fen, document, title_document) "
            "SELECT v.listing_id, v.facet_set_id, v.published_at, v.price_fen, "
            f"{self.DOCUMENT_SQL}, {self.TITLE_DOCUMENT_SQL} "
            f"FROM (VALUES {values}) AS v(listing_id, facet_set_id, published_at, price_fen, title_words) "
            "JOIN search_entry e ON e.listing_id = v.listing_id",
            [value for row in rows for value in row],
        )

    def reset(self, cursor) -> None:
        """Nothing to do: deleting the entries empties the index."""

    def optimise(self, cursor) -> None:
        # Statistics on the vectors let the planner estimate how many rows a word matches.
        cursor.execute("ANALYZE search_entry")
        cursor.execute("ANALYZE search_entry_keys")
        cursor.execute("ANALYZE search_facet_value")

    def compile(self, clauses: list[Clause], *, title_only: bool = False) -> str:
        weight = "A" if title_only else ""

        def phrase(match: Match) -> str:
            lexemes = []
            for position, token in enumerate(match.tokens, start=1):
                is_last = position == len(match.tokens)
                label = ("*" if match.prefix and is_last else "") + weight
                lexemes.append(_tsquery_lexeme(token) + (f":{label}" if label else ""))
            return "(" + " <-> ".join(lexemes) + ")"

        return " & ".join("(" + " | ".join(phrase(match) for match in clause.alternatives) + ")" for clause in clauses)

    @staticmethod
    def _filter_sql(filters: dict[str, list[str]]) -> tuple[str, list[str]]:
        """The filters as a condition on a keys row (values of a facet ORed, facets ANDed), with its parameters:
        its facet set is one of those whose keys pass, found by a string search of the few thousand sets."""
        conditions, params = [], []
        for facet, values in filters.items():
            conditions.append("(" + " OR ".join(["strpos(' ' || facet_keys || ' ', %s) > 0"] * len(values)) + ")")
            params += [f" {facet_key(facet, value)} " for value in values]
        if not conditions:
            return "TRUE", []
        passing_sets = f"SELECT id FROM search_facet_set WHERE {' AND '.join(conditions)}"  # noqa: S608 - fixed SQL
        return f"facet_set_id IN ({passing_sets})", params

    def search_text(self, expression: str, query: SearchQuery) -> tuple[int, list[tuple[int, float | None]], dict]:
        end = query.offset + query.page_size
        filters, filter_params = self._filter_sql(query.active_filters())
        first, counted = self._read_matches(expression, query, filters, filter_params)
        with connection.cursor() as cursor:
            keys_of = _facet_set_keys.of(cursor, list(counted))
            groups = [(keys_of[set_id], count, newest) for set_id, (count, newest) in counted.items()]
            total, facet_counts = _tally([(keys, count) for keys, count, _ in groups], query)
            if query.sort != "relevance" or query.offset >= total or len(first) == end:
                # Sorted by date or price: the page is among the first matches of each half. By relevance: past the
                # end, or a page full of title matches.
                return total, first[query.offset :], facet_counts
            in_title = first
            # The title matches are followed by the others, newest first: enough of them to skip the title matches
            # among them.
            limit = end + len(in_title)
            lowest_id, highest_id = _ids_of_newest(groups, _wanted_keys(query.active_filters()), limit)
            if lowest_id and highest_id - lowest_id < _IDS_READ_ONE_BY_ONE:
                # So few ids that reading them newest first and testing each document (~6 µs each, in memory) is
                # cheaper than the GIN index again: a common word's newest matches lie this close (医疗器械 检测: 470
                # rows, 3 ms instead of 7). ts_match_vq is @@ spelled as a function, which no index answers.
                cursor.execute(
                    "SELECT listing_id FROM search_entry_keys WHERE listing_id BETWEEN %s AND %s "  # noqa: S608
                    f"AND ts_match_vq(document, to_tsquery('simple', %s)) AND {filters} "
                    "ORDER BY listing_id DESC LIMIT %s",
                    [lowest_id, highest_id, expression, *filter_params, limit],
                )
            else:
                cursor.execute(
                    # OFFSET 0 keeps the matches a subquery of their own, found through the GIN index and then
                    # sorted. Without it the planner may walk an index in the page's order and test every row's
                    # document until it has the page: fast for a common word, but 26 s for one that rare filters
                    # narrow.
                    "SELECT listing_id FROM (SELECT listing_id FROM search_entry_keys "  # noqa: S608 - fixed SQL
                    f"WHERE document @@ to_tsquery('simple', %s) AND {filters} AND listing_id >= %s OFFSET 0) "
                    "AS matches ORDER BY listing_id DESC LIMIT %s",
                    [expression, *filter_params, lowest_id, limit],
                )
            listed = [listing_id for (listing_id,) in cursor.fetchall()]
        shown = {listing_id for listing_id, _ in in_title}
        rest = [listing_id for listing_id in listed if listing_id not in shown]
        skip = max(0, query.offset - len(in_title))
        page = in_title[query.offset :] + [(listing_id, 0.0) for listing_id in rest[skip : end - len(in_title)]]
        return total, page, facet_counts

    @staticmethod
    def _read_matches(
        expression: str, query: SearchQuery, filters: str, filter_params: list[str]
    ) -> tuple[list[tuple[int, float | None]], dict[int, tuple[int, int]]]:
        """From both halves of the index at once (`_read_halves`): the first matches that pass the filters, enough
        for the page, and every match counted by facet set, with the set's newest listing ({set id: (count,
        newest id)}). By relevance, the first matches are those with every word in the title, with their scores;
        otherwise they are in the page's order, without scores."""
        end = query.offset + query.page_size
        relevance = query.sort == "relevance"

        def read_half(cursor, table: str) -> tuple[list[tuple], list[tuple[int, int, int]]]:
            if relevance:
                cursor.execute(
                    # Scores of title matches lie in (1, 2): above the 0 given to the others, which are not scored.
                    # Every title word is also in the document, so the title's small index is enough. (A phrase
                    # spanning the title's last word and the sub-words appended after it would be the exception.)
                    # ts_rank, not ts_rank_cd: it also favours titles where the words stand close together, at half
                    # the cost, and a common pair of words is in thousands of titles, every one of them scored.
                    f"SELECT listing_id, 1 + ts_rank(title_document, q, 32) FROM {table}, "  # noqa: S608 - fixed SQL
                    f"to_tsquery('simple', %s) AS q WHERE title_document @@ q AND {filters} "
                    "ORDER BY 2 DESC, listing_id DESC LIMIT %s",
                    [expression, *filter_params, end],
                )
            else:
                cursor.execute(
                    # OFFSET 0: see the relevance page in search_text. The date in whole microseconds, so that the
                    # halves' rows sort here exactly as they did there.
                    "SELECT listing_id, (extract(epoch FROM published_at) * 1000000)::bigint, price_fen "  # noqa: S608
                    "FROM (SELECT listing_id, published_at, price_fen FROM "
                    f"{table} WHERE document @@ to_tsquery('simple', %s) AND {filters} OFFSET 0) AS matches "
                    f"ORDER BY {_SQL_ORDERINGS[query.sort]} LIMIT %s",
                    [expression, *filter_params, end],
                )
            first = cursor.fetchall()
            # One pass over every match, grouped by their set of facet values (a few thousand sets): the total and
            # every facet count, filtered or not (`_tally`), and each set's newest listing.
            cursor.execute(
                f"SELECT facet_set_id, count(*), max(listing_id) FROM {table} "  # noqa: S608 - fixed SQL
                "WHERE document @@ to_tsquery('simple', %s) GROUP BY facet_set_id",
                [expression],
            )
            return first, cursor.fetchall()

        halves = _read_halves(read_half)
        both = [row for rows, _ in halves for row in rows]
        if relevance:
            first = heapq.nlargest(end, both, key=lambda row: (row[1], row[0]))
        else:
            in_order = heapq.nsmallest(
                end, (_Match(row[0], 0.0, "", row[1], row[2]) for row in both), key=_MATCH_ORDERINGS[query.sort]
            )
            first = [(match.listing_id, None) for match in in_order]
        counted: dict[int, tuple[int, int]] = {}
        for _, rows in halves:
            for set_id, count, newest in rows:
                if set_id in counted:
                    count, newest = count + counted[set_id][0], max(newest, counted[set_id][1])
                counted[set_id] = (count, newest)
        return first, counted

    def best(self, expression: str, limit: int) -> list[tuple[int, float]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT listing_id, ts_rank(title_document, query) AS rank "
                "FROM search_entry_keys, to_tsquery('simple', %s) AS query "
                "WHERE title_document @@ query ORDER BY rank DESC, listing_id DESC LIMIT %s",
                [expression, limit],
            )
            return list(cursor.fetchall())


# The keys of the facet sets this process has seen, by id: joining them into a common word's search cost ~13 ms at a
# million listings, because the join reads all ~20,000 sets. A set's keys never change, and PostgreSQL never hands
# out an id twice (ids come from a sequence, which a rolled-back transaction does not rewind), so they may be kept,
# for as long as the table is the same one: a migration that recreates it, or a flush that restarts its ids, gives
# it a new file, and then they are read again. (SQLite may reuse the id of a set created in a rolled-back
# transaction, so its engine keeps the join.)
_FACET_KEYS_KEPT = 200_000  # ~20,000 sets at a million listings; past this many, start again


class _FacetSetKeys:
    def __init__(self) -> None:
        self._keys: dict[int, tuple[str, ...]] = {}
        self._table_file: int | None = None  # the table's file when they were read

    def of(self, cursor, set_ids: list[int]) -> dict[int, tuple[str, ...]]:
        """The keys of these sets (and others), from memory where it can."""
        cursor.execute("SELECT pg_relation_filenode('search_facet_set')")
        (table_file,) = cursor.fetchone()
        # One dict throughout, whatever other threads do meanwhile: it ends up holding every set asked for.
        keys = self._keys
        missing = [set_id for set_id in set_ids if set_id not in keys]
        if table_file != self._table_file or len(keys) + len(missing) > _FACET_KEYS_KEPT:
            keys, missing = {}, set_ids
        if missing:
            cursor.execute("SELECT id, facet_keys FROM search_facet_set WHERE id = ANY(%s)", [missing])
            keys.update((set_id, tuple(facet_keys.split())) for set_id, facet_keys in cursor.fetchall())
        self._keys, self._table_file = keys, table_file
        return keys


_facet_set_keys = _FacetSetKeys()


# The halves of search_entry_keys on PostgreSQL (migration 0007), which a search reads at once: PostgreSQL plans no
# parallel scan for a search's bitmap heap scans, so two connections do it, one core each.
HALVES = ("search_entry_keys_p0", "search_entry_keys_p1")
# How long a half waits for an idle pooled connection before its search reads it itself.
_POOL_WAIT_SECONDS = 0.005


def _read_halves[T](read: Callable[[Any, str], T]) -> list[T]:
    """`read(cursor, half)` for each of HALVES, in that order: the others on pooled connections of their own, in
    threads, while this one reads the first. One after another here inside a transaction (which other connections
    could not see into), without a pool, or when the pool has no idle connection: then reading at once would only
    take cores from other searches."""
    pool = getattr(connection, "pool", None)
    beside = []
    if pool is not None and not connection.in_atomic_block:
        beside = [_ReadBeside(pool, read, half) for half in HALVES[1:]]
    with connection.cursor() as cursor:
        results = [read(cursor, HALVES[0])]
        for position, half in enumerate(HALVES[1:]):
            read_beside = beside[position].result() if beside else None
            results.append(read_beside[0] if read_beside else read(cursor, half))
    return results


class _ReadBeside[T](threading.Thread):
    """`read(cursor, half)` on an idle pooled connection, in a thread of its own (started at once)."""

    def __init__(self, pool, read: Callable[[Any, str], T], half: str) -> None:
        super().__init__(name=f"search-{half}", daemon=True)
        self._pool, self._read, self._half = pool, read, half
        self._result: tuple[T] | None = None
        self.start()

    def run(self) -> None:
        # A half that finds no idle connection (PoolTimeout, a psycopg.Error), or fails, is read by its search, which
        # raises the error, if it is one, as Django raises database errors.
        with (
            contextlib.suppress(psycopg.Error),
            self._pool.connection(timeout=_POOL_WAIT_SECONDS) as side,
            side.cursor() as cursor,
        ):
            self._result = (self._read(cursor, self._half),)

    def result(self) -> tuple[T] | None:
        """(what `read` returned,), or None if the half is still to be read."""
        self.join()
        return self._result


def _tsquery_lexeme(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


_ENGINES = {"sqlite": _SqliteText, "postgresql": _PostgresText}

# Ties (and listings without a date or price) fall back to the newest listing id, so pages never overlap.
_ORDERINGS = {
    "newest": (F("published_at").desc(nulls_last=True), "-listing_id"),
    "relevance": (F("published_at").desc(nulls_last=True), "-listing_id"),  # when there is no text
    "price_asc": (F("price_fen").asc(nulls_last=True), "-listing_id"),
    "price_desc": (F("price_fen").desc(nulls_last=True), "-listing_id"),
}


class _Match(NamedTuple):
    """A listing an engine matched, with its score (higher is better) and sort keys."""

    listing_id: int
    score: float
    facet_keys: str
    published: float | None  # when it was published: a Julian day (SQLite), microseconds since 1970 (PostgreSQL)
    price_fen: int | None


# The same orders in SQL, for the first matches of each half of the PostgreSQL engine's index.
_SQL_ORDERINGS = {
    "newest": "published_at DESC NULLS LAST, listing_id DESC",
    "price_asc": "price_fen ASC NULLS LAST, listing_id DESC",
    "price_desc": "price_fen DESC NULLS LAST, listing_id DESC",
}

# Sort keys over matches, for heapq.nsmallest: each puts the wanted first, ties to the newest listing id.
_MATCH_ORDERINGS = {
    "relevance": lambda m: (-m.score, -m.listing_id),
    "newest": lambda m: (m.published is None, -(m.published or 0), -m.listing_id),
    "price_asc": lambda m: (m.price_fen is None, m.price_fen or 0, -m.listing_id),
    "price_desc": lambda m: (m.price_fen is None, -(m.price_fen or 0), -m.listing_id),
}


def facet_key(facet: str, value: str) -> str:
    """`facet:value`, as a facet set's `facet_keys` holds it space-separated: values are slugs and ids, never spaced."""
    return f"{facet}:{value}"


def _wanted_keys(filters: dict[str, list[str]]) -> dict[str, set[str]]:
    return {facet: {facet_key(facet, value) for value in values} for facet, values in filters.items()}


def _passes(keys: tuple[str, ...], wanted: dict[str, set[str]]) -> bool:
    return all(not accepted.isdisjoint(keys) for accepted in wanted.values())


# Below this many ids between the page's bounds, a relevance page is read by id rather than through the GIN index.
_IDS_READ_ONE_BY_ONE = 1_000


def _ids_of_newest(
    groups: list[tuple[tuple[str, ...], int, int]], wanted: dict[str, set[str]], count: int
) -> tuple[int, int]:
    """The ids between which the `count` newest matches that pass the filters lie ((0, 0): not known), from the
    matches grouped by facet set with each set's newest id. Those matches are all at least as new as the count-th
    newest of the passing sets' newest ids, which are themselves `count` such matches, and none is newer than the
    newest of them. With these bounds, a page reads a few dozen rows instead of every match."""
    newest = heapq.nlargest(count, (set_newest for keys, _, set_newest in groups if _passes(keys, wanted)))
    return (newest[-1], newest[0]) if len(newest) == count else (0, 0)


def _tally(groups: Iterable[tuple[tuple[str, ...], int]], query: SearchQuery) -> tuple[int, dict[str, dict[str, int]]]:
    """How many matches every filter lets through, and the facet counts, from the matches grouped by facet set
    (the set's keys, `facet:value`, with how many matches have exactly those keys).

    A facet's counts ignore its own filter: a match that fails only facet F's filter still counts toward F's
    values (what clicking another value of F would give), and toward no other facet.
    """
    wanted = _wanted_keys(query.active_filters())
    total = 0
    # A plain dict and its bound `get`: a common word's thousands of groups make this loop part of the search's time.
    counts: dict[str, int] = {}
    count_of = counts.get
    for keys, count in groups:
        if wanted:
            failed = [facet for facet, accepted in wanted.items() if accepted.isdisjoint(keys)]
            if len(failed) == 1:
                prefix = failed[0] + ":"
                for key in keys:
                    if key.startswith(prefix):
                        counts[key] = count_of(key, 0) + count
            if failed:
                continue
        total += count
        for key in keys:
            counts[key] = count_of(key, 0) + count
    return total, _counts_by_facet(counts, query.facets)


def _counts_by_facet(counts: dict[str, int], facets: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """{facet: {value: count}} for the wanted facets, most frequent value first, from `facet:value` counts."""
    facet_counts: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        facet, _, value = key.partition(":")
        if facet in facet_counts:
            facet_counts[facet][value] = count
    return facet_counts


def _entry_for(document: ListingDocument) -> SearchEntry:
    body = [document.summary, *document.body_texts]
    names = [*document.applicant_names, *document.inventor_names, document.seller_name]
    title_tokens = segment(document.title)
    body_tokens = [token for text in body for token in segment(text)]
    name_tokens = [token for name in names for token in segment(name)]
    identifiers = [
        *(token for number in document.application_numbers for token in application_number_tokens(number)),
        *(token for code in document.ipc_codes for token in ipc_tokens(code)),
        *name_tokens,
    ]
    return SearchEntry(
        listing_id=document.id,
        title=document.title,
        summary=document.summary,
        title_tokens=token_string(title_tokens),
        body_tokens=token_string(body_tokens),
        identifier_tokens=token_string(identifiers),
        subword_tokens=token_string(subwords_of([*title_tokens, *body_tokens, *name_tokens])),
    )


def _facet_keys_of(document: ListingDocument) -> str:
    return " ".join(facet_key(value.facet, value.value) for value in _facet_values_for(document))


def _facet_set_ids(all_facet_keys: Iterable[str]) -> dict[str, int]:
    """The number of each set of facet keys, numbering those not seen before."""
    # In one order everywhere: indexing processes that add the same new sets at once then wait for each other
    # rather than deadlock.
    wanted = sorted(set(all_facet_keys))
    SearchFacetSet.objects.bulk_create([SearchFacetSet(facet_keys=keys) for keys in wanted], ignore_conflicts=True)
    return dict(SearchFacetSet.objects.filter(facet_keys__in=wanted).values_list("facet_keys", "id"))


def _keys_for(document: ListingDocument, facet_set_id: int) -> SearchEntryKeys:
    return SearchEntryKeys(
        listing_id=document.id,
        facet_set_id=facet_set_id,
        published_at=document.published_at,
        price_fen=document.price_fen,
    )


def _facet_values_for(document: ListingDocument) -> Iterable[SearchFacetValue]:
    for facet, values in document.facets.items():
        for value in dict.fromkeys(values):
            yield SearchFacetValue(entry_id=document.id, facet=facet, value=str(value))


class DatabaseSearchBackend(BaseSearchBackend):
    @property
    def _text(self) -> _SqliteText | _PostgresText:
        try:
            return _ENGINES[connection.vendor]()
        except KeyError:
            raise ImproperlyConfigured(f"The database search backend does not support {connection.vendor}.") from None

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
        entries = [_entry_for(document) for document in latest.values()]
        facet_keys = {document.id: _facet_keys_of(document) for document in latest.values()}
        with transaction.atomic():
            self._remove(ids)
            SearchEntry.objects.bulk_create(entries)
            SearchFacetValue.objects.bulk_create(
                [value for document in latest.values() for value in _facet_values_for(document)]
            )
            set_ids = _facet_set_ids(facet_keys.values())
            keys = [_keys_for(document, set_ids[facet_keys[document.id]]) for document in latest.values()]
            with connection.cursor() as cursor:
                self._text.insert(cursor, entries, keys)

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
        with transaction.atomic():
            with connection.cursor() as cursor:
                self._text.reset(cursor)
            SearchFacetValue.objects.all().delete()
            SearchEntryKeys.objects.all().delete()
            SearchEntry.objects.all().delete()

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

    def _facet_counts(self, facet: str, query: SearchQuery) -> dict[str, int]:
        rows = SearchFacetValue.objects.filter(facet=facet)
        other_filters = query.active_filters(except_facet=facet)
        if other_filters:
            # Without other filters every entry counts: no subquery, only the (facet, value) index.
            rows = rows.filter(entry_id__in=self._filtered(other_filters).values("listing_id"))
        rows = rows.values("value").annotate(count=Count("id")).order_by("-count", "value")
        return {row["value"]: row["count"] for row in rows}

    def search(self, query: SearchQuery) -> SearchResults:
        clauses = parse_query(query.text)
        if clauses:
            return self._search_text(self._text.compile(clauses), query)
        return self._search_filters_only(query)

    def _search_text(self, expression: str, query: SearchQuery) -> SearchResults:
        total, page, facet_counts = self._text.search_text(expression, query)
        return self._results(query, total, page, facet_counts)

    def _search_filters_only(self, query: SearchQuery) -> SearchResults:
        """No words: the whole index, narrowed by the facet rows' indexes and counted in SQL."""
        matching = self._filtered(query.active_filters())
        total = matching.count()
        ordered = matching.order_by(*_ORDERINGS[query.sort]).values_list("listing_id", flat=True)
        page = [(listing_id, None) for listing_id in ordered[query.offset : query.offset + query.page_size]]
        facet_counts = {facet: self._facet_counts(facet, query) for facet in query.facets}
        return self._results(query, total, page, facet_counts)

    def _results(
        self, query: SearchQuery, total: int, page: list[tuple[int, float | None]], facet_counts: dict
    ) -> SearchResults:
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
