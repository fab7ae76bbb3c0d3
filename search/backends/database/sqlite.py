"""The SQLite engine: FTS5 over the stored tokens; every match is read once and filtered, counted and sorted in
Python."""

import heapq
from collections import Counter

from django.db import connection

from search.backends.base import SearchQuery
from search.backends.database.matches import MATCH_ORDERINGS, MatchRow, passes, tally, wanted_keys
from search.models import SearchEntry, SearchEntryKeys
from search.text import Clause, Match

TOKEN_COLUMNS = ("title_tokens", "body_tokens", "identifier_tokens", "subword_tokens", "gram_tokens")


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


class SqliteText:
    """FTS5 with search_entry as external content: a row's old tokens must be given to delete it."""

    GRAMS_IN_ENTRY = True

    # bm25 weight per column, in TOKEN_COLUMNS order: a title match counts most, a sub-word match least. Grams are
    # never scored (the rows only they match are read apart, unscored), so their column weighs nothing.
    BM25_WEIGHTS = "10.0, 2.0, 5.0, 1.0, 0.0"

    def remove(self, cursor, ids: list[int]) -> None:
        columns = ", ".join(TOKEN_COLUMNS)
        cursor.execute(
            f"INSERT INTO search_fts(search_fts, rowid, {columns}) "  # noqa: S608 - fixed column names
            f"SELECT 'delete', listing_id, {columns} FROM search_entry WHERE listing_id IN ({_placeholders(ids)})",
            ids,
        )

    def insert(
        self,
        cursor,
        entries: list[SearchEntry],
        facet_values: list[tuple[int, str, str]],
        keys: list[SearchEntryKeys],
        grams: dict[int, list[str]],
    ) -> None:
        """The rows, then the entries' tokens, grams included (in the entry, `gram_tokens`), into the FTS5 table."""
        SearchEntry.objects.bulk_create(entries)
        cursor.executemany("INSERT INTO search_facet_value (entry_id, facet, value) VALUES (%s, %s, %s)", facet_values)
        SearchEntryKeys.objects.bulk_create(keys)
        ids = [entry.listing_id for entry in entries]
        columns = ", ".join(TOKEN_COLUMNS)
        cursor.execute(
            f"INSERT INTO search_fts(rowid, {columns}) "  # noqa: S608 - fixed column names
            f"SELECT listing_id, {columns} FROM search_entry WHERE listing_id IN ({_placeholders(ids)})",
            ids,
        )

    def reset(self, cursor, *, truncate: bool) -> None:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES('delete-all')")

    def set_aside_indexes(self, cursor) -> None:
        """Nothing to set aside: FTS5 merges its segments itself."""

    def optimise(self, cursor) -> None:
        # Without statistics SQLite's planner may run the FTS match again for every row it joins.
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
        cursor.execute("ANALYZE")

    def compile(self, clauses: list[Clause], *, title_only: bool = False, fallback: bool = False) -> str:
        """The clauses as an FTS5 expression; with `fallback`, each clause's gram phrases ORed with its words
        (grams are marked, so no word matches a gram, and a word's grams as a phrase match exactly the rows that
        contain it)."""

        def phrase(match: Match) -> str:
            quoted = " ".join(token.replace('"', '""') for token in match.tokens)
            return f'"{quoted}"' + ("*" if match.prefix else "")

        expression = " AND ".join(
            "("
            + " OR ".join(phrase(match) for match in (*clause.alternatives, *(clause.fallback if fallback else ())))
            + ")"
            for clause in clauses
        )
        return f"title_tokens : ({expression})" if title_only else expression

    def search_text(
        self, clauses: list[Clause], query: SearchQuery
    ) -> tuple[int, list[tuple[int, float | None]], dict]:
        """Every match read once, with its score and facet keys, then filtered, counted and sorted here: one
        query instead of a full-text match per facet count."""
        expression = self.compile(clauses)
        # The words' matches, scored by bm25 (always above 0); then, with a gram fallback, the rows only the grams
        # match, scored 0: they rank below every match of the words, newest first, and leave its ranking as it was.
        searches = [(expression, f"-bm25(search_fts, {self.BM25_WEIGHTS})")]
        if any(clause.fallback for clause in clauses):
            searches.append((f"({self.compile(clauses, fallback=True)}) NOT ({expression})", "0.0"))
        matches = []
        with connection.cursor() as cursor:
            for match_expression, score in searches:
                cursor.execute(
                    # The date as a number (a Julian day): parsing thousands of datetimes would cost more than the
                    # search.
                    f"SELECT k.listing_id, {score}, "  # noqa: S608 - fixed weights
                    "s.facet_keys, julianday(k.published_at), k.price_fen "
                    "FROM search_fts JOIN search_entry_keys k ON k.listing_id = search_fts.rowid "
                    "JOIN search_facet_set s ON s.id = k.facet_set_id "
                    "WHERE search_fts MATCH %s",
                    [match_expression],
                )
                matches += [MatchRow(*row) for row in cursor.fetchall()]
        sets = Counter(match.facet_keys for match in matches)
        keys_of = {facet_keys: tuple(facet_keys.split()) for facet_keys in sets}
        total, facet_counts = tally([(keys_of[facet_keys], count) for facet_keys, count in sets.items()], query)
        wanted = wanted_keys(query.active_filters())
        passing = [match for match in matches if passes(keys_of[match.facet_keys], wanted)] if wanted else matches
        first = heapq.nsmallest(query.offset + query.page_size, passing, key=MATCH_ORDERINGS[query.sort])
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
