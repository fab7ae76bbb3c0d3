"""The PostgreSQL engine: tsvectors of the stored tokens in the narrow keys row; matches counted by facet set and
paged where they are, reading both halves of the table at once (`halves`). Design: docs/search.md."""

import heapq
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.utils import timezone

from search.backends.base import SearchQuery
from search.backends.database.halves import read_halves
from search.backends.database.matches import MATCH_ORDERINGS, MatchRow, facet_key, passes, tally, wanted_keys
from search.models import SearchEntry, SearchEntryKeys
from search.text import Clause, Match, title_words

# The orders of MATCH_ORDERINGS in SQL, for the first matches of each half.
SQL_ORDERINGS = {
    "newest": "published_at DESC NULLS LAST, listing_id DESC",
    "price_asc": "price_fen ASC NULLS LAST, listing_id DESC",
    "price_desc": "price_fen DESC NULLS LAST, listing_id DESC",
}


class PostgresText:
    """tsvectors with the `simple` configuration (which keeps our tokens as they are), in the keys row so that a
    search reads one table: `document` is everything searchable, `title_document` the title's words and the
    sub-words inside them.

    A search reads each match once per statement: one pass groups the matches by facet set, which gives the total
    and every facet count (`tally`); a second, when the page needs it, finds the page's listings among the matches
    that pass the filters. Only the matches with every word in the title are scored, on the small title vector;
    the others follow newest first, since scoring them would read every matched document.

    `ids_read_one_by_one`: below this many ids between a relevance page's bounds, the page is read by id rather
    than through the GIN index. `facet_keys_kept`: how many facet sets' keys this process keeps in memory.
    """

    GRAMS_IN_ENTRY = False
    # Weights: title A, numbers / IPC / names B, summary and other text C, sub-words D; grams carry no position.
    DOCUMENT_SQL = (
        "setweight(to_tsvector('simple', e.title_tokens), 'A')"
        " || setweight(to_tsvector('simple', e.identifier_tokens), 'B')"
        " || setweight(to_tsvector('simple', e.body_tokens), 'C')"
        " || setweight(to_tsvector('simple', e.subword_tokens), 'D')"
        # The grams, without positions: `compile` ANDs a word's grams.
        " || array_to_tsvector(string_to_array(v.grams, ' '))"
    )
    # Weighted A like the title in `document`, so a title-only query (suggestions) reads the same on both.
    TITLE_DOCUMENT_SQL = "setweight(to_tsvector('simple', v.title_words), 'A')"

    def __init__(self, *, ids_read_one_by_one: int, facet_keys_kept: int) -> None:
        self.ids_read_one_by_one = ids_read_one_by_one
        self.facet_keys_kept = facet_keys_kept

    def remove(self, cursor, ids: list[int]) -> None:
        """Nothing to do: the vectors live in the keys row, deleted with it."""

    def insert(
        self,
        cursor,
        entries: list[SearchEntry],
        facet_values: list[tuple[int, str, str]],
        keys: list[SearchEntryKeys],
        grams: dict[int, list[str]],
    ) -> None:
        """The rows, written with COPY (a rebuild writes millions; INSERT's parameters cost more than the rows),
        and the keys rows with their vectors; `grams`: each listing's gram stream, added to its document."""
        now = timezone.now()
        with cursor.copy(f"COPY search_entry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
            for entry in entries:
                copy.write_row([*(getattr(entry, column) for column in ENTRY_COLUMNS[:-1]), now])
        with cursor.copy("COPY search_facet_value (entry_id, facet, value) FROM STDIN") as copy:
            for row in facet_values:
                copy.write_row(row)
        # The keys row is written once, with its vectors: filling them in afterwards would leave a dead copy of
        # every row behind (the vectors are indexed, so no update of them is in place). The vectors are built
        # here from the entry's tokens, beside what the load table brings.
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS search_keys_load (listing_id bigint, facet_set_id bigint, "
            "published_at timestamptz, price_fen bigint, title_words text, grams text)"
        )
        words = {entry.listing_id: title_words(entry.title_tokens) for entry in entries}
        with cursor.copy("COPY search_keys_load FROM STDIN") as copy:
            for key in keys:
                distinct_grams = " ".join(dict.fromkeys(grams.get(key.listing_id, ())))
                copy.write_row(
                    (
                        key.listing_id,
                        key.facet_set_id,
                        key.published_at,
                        key.price_fen,
                        words[key.listing_id],
                        distinct_grams,
                    )
                )
        cursor.execute(
            "INSERT INTO search_entry_keys "  # noqa: S608 - fixed SQL
            "(listing_id, facet_set_id, published_at, price_fen, document, title_document) "
            "SELECT v.listing_id, v.facet_set_id, v.published_at, v.price_fen, "
            f"{self.DOCUMENT_SQL}, {self.TITLE_DOCUMENT_SQL} "
            "FROM search_keys_load v JOIN search_entry e ON e.listing_id = v.listing_id"
        )
        cursor.execute("DELETE FROM search_keys_load")

    def reset(self, cursor, *, truncate: bool) -> None:
        # At once, whatever the size (DELETE would leave every row dead for VACUUM); else the caller's DELETEs.
        if truncate:
            cursor.execute("TRUNCATE search_facet_value, search_entry_keys, search_entry")

    def set_aside_indexes(self, cursor) -> None:
        """Drop the GIN indexes for a rebuild: building one from all the rows at the end (`optimise`) is several
        times faster than updating it row by row. Until then, searches read every row. Not inside a transaction
        (a test's): PostgreSQL builds no index on a table with foreign-key checks still pending in it."""
        if connection.in_atomic_block:
            return
        for name in TEXT_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def optimise(self, cursor) -> None:
        """Build the GIN indexes a rebuild dropped, side by side on connections of their own (each on both halves
        of the table), then the statistics on the vectors, which let the planner estimate how many rows a word
        matches."""
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry_keys'")
        present = {name for (name,) in cursor.fetchall()}
        missing = [(name, column) for name, column in TEXT_INDEXES.items() if name not in present]
        if missing and not connection.in_atomic_block:
            # Other connections would wait for this transaction's locks: inside one, build them here.
            with ThreadPoolExecutor(max_workers=len(missing)) as pool:
                list(pool.map(lambda index: _build_text_index(*index, own_connection=True), missing))
        else:
            for name, column in missing:
                _build_text_index(name, column, own_connection=False)
        cursor.execute("ANALYZE search_entry")
        cursor.execute("ANALYZE search_entry_keys")
        cursor.execute("ANALYZE search_facet_value")

    def compile(self, clauses: list[Clause], *, title_only: bool = False, fallback: bool = False) -> str:
        """The clauses as a tsquery; with `fallback`, each clause's gram matches ORed with its words. Grams are
        stored without positions (a document's distinct grams: far fewer lexemes), so a word's grams are ANDed
        rather than adjacent: a phrase would read every candidate's document."""
        weight = "A" if title_only else ""

        def grams(match: Match) -> str:
            if match.prefix:
                return f"{_tsquery_lexeme(match.tokens[0])}:*"
            return "(" + " & ".join(_tsquery_lexeme(token) for token in dict.fromkeys(match.tokens)) + ")"

        def phrase(match: Match) -> str:
            lexemes = []
            for position, token in enumerate(match.tokens, start=1):
                is_last = position == len(match.tokens)
                label = ("*" if match.prefix and is_last else "") + weight
                lexemes.append(_tsquery_lexeme(token) + (f":{label}" if label else ""))
            return "(" + " <-> ".join(lexemes) + ")"

        return " & ".join(
            "("
            + " | ".join(
                [phrase(match) for match in clause.alternatives]
                + [grams(match) for match in (clause.fallback if fallback else ())]
            )
            + ")"
            for clause in clauses
        )

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

    def search_text(
        self, clauses: list[Clause], query: SearchQuery
    ) -> tuple[int, list[tuple[int, float | None]], dict]:
        """The page, the total and the facet counts for these clauses.

        With a gram fallback (`Clause.fallback`), the total and the counts are of every row the words or their
        grams match. Sorted by date or price, those rows are simply sorted; by relevance, the rows the words match
        come first, as without the fallback, and the rows only the grams match follow, newest first."""
        expression = self.compile(clauses)
        wider = self.compile(clauses, fallback=True) if any(clause.fallback for clause in clauses) else None
        if wider is not None and query.sort != "relevance":
            expression, wider = wider, None
        filters, filter_params = self._filter_sql(query.active_filters())
        first, counted, counted_wider = self._read_matches(expression, query, filters, filter_params, wider)
        with connection.cursor() as cursor:
            keys_of = _facet_set_keys.of(cursor, list({*counted, *counted_wider}), kept=self.facet_keys_kept)
            groups = [(keys_of[set_id], count, newest) for set_id, (count, newest) in counted.items()]
            total, facet_counts = tally([(keys, count) for keys, count, _ in groups], query)
            page = self._page(cursor, expression, query, filters, filter_params, first, groups, total)
            if wider is None:
                return total, page, facet_counts
            wider_groups = [(keys_of[set_id], count) for set_id, (count, _) in counted_wider.items()]
            wider_total, facet_counts = tally(wider_groups, query)
            if len(page) < query.page_size and wider_total > total:
                # The rows only the grams match, after the `total` the words match. NOT (document @@ words) reads
                # each candidate's document, but only pages past the words' matches get here.
                cursor.execute(
                    # OFFSET 0: the matches found through the GIN index first (see `_page`), then the others tested.
                    "SELECT listing_id FROM (SELECT listing_id, document FROM search_entry_keys "  # noqa: S608
                    f"WHERE document @@ to_tsquery('simple', %s) AND {filters} OFFSET 0) AS matches "
                    "WHERE NOT (document @@ to_tsquery('simple', %s)) ORDER BY listing_id DESC OFFSET %s LIMIT %s",
                    [wider, *filter_params, expression, max(0, query.offset - total), query.page_size - len(page)],
                )
                page += [(listing_id, 0.0) for (listing_id,) in cursor.fetchall()]
            return wider_total, page, facet_counts

    def _page(
        self,
        cursor,
        expression: str,
        query: SearchQuery,
        filters: str,
        filter_params: list[str],
        first: list[tuple[int, float | None]],
        groups: list[tuple[tuple[str, ...], int, int]],
        total: int,
    ) -> list[tuple[int, float | None]]:
        """The page among the `total` matches (passing the filters) of `expression`, from the first matches read
        and the matches grouped by facet set."""
        end = query.offset + query.page_size
        if query.sort != "relevance" or query.offset >= total or len(first) == end:
            # Sorted by date or price: the page is among the first matches of each half. By relevance: past the
            # end, or a page full of title matches.
            return first[query.offset :]
        in_title = first
        # The title matches are followed by the others, newest first: enough of them to skip the title matches
        # among them.
        limit = end + len(in_title)
        lowest_id, highest_id = _ids_of_newest(groups, wanted_keys(query.active_filters()), limit)
        if lowest_id and highest_id - lowest_id < self.ids_read_one_by_one:
            # So few ids that reading them newest first and testing each document is cheaper than the GIN index
            # again. ts_match_vq is @@ spelled as a function, which no index answers.
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
                # document until it has the page: fast for a common word, very slow for one that rare filters
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
        return in_title[query.offset :] + [(listing_id, 0.0) for listing_id in rest[skip : end - len(in_title)]]

    @staticmethod
    def _read_matches(
        expression: str, query: SearchQuery, filters: str, filter_params: list[str], wider: str | None = None
    ) -> tuple[list[tuple[int, float | None]], dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
        """From both halves of the index at once (`read_halves`): the first matches that pass the filters, enough
        for the page, and every match counted by facet set, with the set's newest listing ({set id: (count,
        newest id)}). By relevance, the first matches are those with every word in the title, with their scores;
        otherwise they are in the page's order, without scores. With `wider`, its matches are counted by facet set
        too (the third dict; empty without it)."""
        end = query.offset + query.page_size
        relevance = query.sort == "relevance"

        def read_half(cursor, table: str) -> tuple[list[tuple], list[tuple[int, int, int]], list[tuple[int, int, int]]]:
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
                    f"ORDER BY {SQL_ORDERINGS[query.sort]} LIMIT %s",
                    [expression, *filter_params, end],
                )
            first = cursor.fetchall()
            # One pass over every match, grouped by their set of facet values (a few thousand sets): the total and
            # every facet count, filtered or not (`tally`), and each set's newest listing.
            grouped = []
            for counted_expression in (expression, wider) if wider else (expression,):
                cursor.execute(
                    f"SELECT facet_set_id, count(*), max(listing_id) FROM {table} "  # noqa: S608 - fixed SQL
                    "WHERE document @@ to_tsquery('simple', %s) GROUP BY facet_set_id",
                    [counted_expression],
                )
                grouped.append(cursor.fetchall())
            return first, grouped[0], grouped[1] if wider else []

        halves = read_halves(read_half)
        both = [row for rows, _, _ in halves for row in rows]
        if relevance:
            first = heapq.nlargest(end, both, key=lambda row: (row[1], row[0]))
        else:
            in_order = heapq.nsmallest(
                end, (MatchRow(row[0], 0.0, "", row[1], row[2]) for row in both), key=MATCH_ORDERINGS[query.sort]
            )
            first = [(match.listing_id, None) for match in in_order]
        return first, _by_set(rows for _, rows, _ in halves), _by_set(rows for _, _, rows in halves)

    def best(self, expression: str, limit: int) -> list[tuple[int, float]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT listing_id, ts_rank(title_document, query) AS rank "
                "FROM search_entry_keys, to_tsquery('simple', %s) AS query "
                "WHERE title_document @@ query ORDER BY rank DESC, listing_id DESC LIMIT %s",
                [expression, limit],
            )
            return list(cursor.fetchall())


def _by_set(halves) -> dict[int, tuple[int, int]]:
    """Both halves' (facet set, count, newest id) rows added up: {set id: (count, newest id)}."""
    counted: dict[int, tuple[int, int]] = {}
    for rows in halves:
        for set_id, count, newest in rows:
            if set_id in counted:
                count, newest = count + counted[set_id][0], max(newest, counted[set_id][1])
            counted[set_id] = (count, newest)
    return counted


# search_entry's columns, as COPY writes them (indexed_at last: the time of writing).
ENTRY_COLUMNS = (
    "listing_id",
    "title",
    "summary",
    "title_tokens",
    "body_tokens",
    "identifier_tokens",
    "subword_tokens",
    "gram_tokens",
    "indexed_at",
)
# The GIN indexes of search_entry_keys (migrations 0005 and 0007), by name, and the vector each indexes.
TEXT_INDEXES = {"search_entry_keys_document_gin": "document", "search_entry_keys_title_gin": "title_document"}
# Memory for building one of them: the entries of a million listings sort in memory rather than on disk.
INDEX_BUILD_MEMORY = "1GB"


def _build_text_index(name: str, column: str, *, own_connection: bool) -> None:
    """CREATE INDEX on the whole table (PostgreSQL builds it on each half); on a connection of this thread's own
    when `own_connection` (the thread's Django connection, closed afterwards)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON search_entry_keys USING gin ({column})")
            cursor.execute("RESET maintenance_work_mem")
    finally:
        if own_connection:
            connection.close()


class _FacetSetKeys:
    """The keys of the facet sets this process has seen, by id, so that a search need not join every set.

    A set's keys never change, and PostgreSQL never hands out an id twice (ids come from a sequence, which a
    rolled-back transaction does not rewind), so they may be kept for as long as the table is the same one: a
    migration that recreates it, or a flush that restarts its ids, gives it a new file, and then they are read
    again. (SQLite may reuse the id of a set created in a rolled-back transaction, so its engine keeps the join.)
    """

    def __init__(self) -> None:
        self._keys: dict[int, tuple[str, ...]] = {}
        self._table_file: int | None = None  # the table's file when they were read

    def of(self, cursor, set_ids: list[int], *, kept: int) -> dict[int, tuple[str, ...]]:
        """The keys of these sets (and others), from memory where it can; past `kept` sets, start again."""
        cursor.execute("SELECT pg_relation_filenode('search_facet_set')")
        (table_file,) = cursor.fetchone()
        # One dict throughout, whatever other threads do meanwhile: it ends up holding every set asked for.
        keys = self._keys
        missing = [set_id for set_id in set_ids if set_id not in keys]
        if table_file != self._table_file or len(keys) + len(missing) > kept:
            keys, missing = {}, set_ids
        if missing:
            cursor.execute("SELECT id, facet_keys FROM search_facet_set WHERE id = ANY(%s)", [missing])
            keys.update((set_id, tuple(facet_keys.split())) for set_id, facet_keys in cursor.fetchall())
        self._keys, self._table_file = keys, table_file
        return keys


_facet_set_keys = _FacetSetKeys()


def _ids_of_newest(
    groups: list[tuple[tuple[str, ...], int, int]], wanted: dict[str, set[str]], count: int
) -> tuple[int, int]:
    """The ids between which the `count` newest matches that pass the filters lie ((0, 0): not known), from the
    matches grouped by facet set with each set's newest id. Those matches are all at least as new as the count-th
    newest of the passing sets' newest ids, which are themselves `count` such matches, and none is newer than the
    newest of them. With these bounds, a page reads a few dozen rows instead of every match."""
    newest = heapq.nlargest(count, (set_newest for keys, _, set_newest in groups if passes(keys, wanted)))
    return (newest[-1], newest[0]) if len(newest) == count else (0, 0)


def _tsquery_lexeme(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"
