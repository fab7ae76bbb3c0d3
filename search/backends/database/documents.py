"""The database backend's index of documents of other kinds than listings (technology demands).

The text is segmented exactly as a listing's (`rows.entry_for`'s streams: words, sub-words, grams, identifiers),
and queries are compiled by the listing engines' own `compile`, so a word finds a demand as it finds a listing,
compound words and one-character fallbacks included. The index is small (thousands of demands), so a search reads
every match of its kind once, with its score, facet keys and date, and filters, counts (`matches.tally`) and sorts
them in Python, as the SQLite listing engine does.
"""

import heapq
from collections import Counter

from django.db import connection, transaction

from search.backends.base import DemandDocument, SearchQuery
from search.backends.database.matches import MATCH_ORDERINGS, MatchRow, facet_key, passes, tally, wanted_keys
from search.backends.database.postgres import PostgresText
from search.backends.database.sqlite import SqliteText
from search.models import SearchDocumentEntry
from search.text import Clause, ipc_prefix_tokens, parse_query, segment_with_grams, subwords_of, token_string

TOKEN_COLUMNS = ("title_tokens", "body_tokens", "identifier_tokens", "subword_tokens", "gram_tokens")
# As the listings' PostgreSQL document: title A, identifiers and names B, other text C, sub-words D, grams bare.
POSTGRES_DOCUMENT_SQL = (
    "setweight(to_tsvector('simple', title_tokens), 'A')"
    " || setweight(to_tsvector('simple', identifier_tokens), 'B')"
    " || setweight(to_tsvector('simple', body_tokens), 'C')"
    " || setweight(to_tsvector('simple', subword_tokens), 'D')"
    " || array_to_tsvector(string_to_array(nullif(gram_tokens, ''), ' '))"
)


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def demand_entry(kind: str, document: DemandDocument) -> SearchDocumentEntry:
    text_grams: list[str] = []

    def tokens_of(texts) -> list[str]:
        tokens = []
        for text in texts:
            text_tokens, more_grams = segment_with_grams(text)
            tokens += text_tokens
            text_grams.extend(more_grams)
        return tokens

    title_tokens = tokens_of([document.title, document.title_en])
    body_tokens = tokens_of([document.summary, document.summary_en, *document.body_texts])
    name_tokens = tokens_of([document.organisation_name])
    identifiers = [*(token for code in document.ipc_codes for token in ipc_prefix_tokens(code)), *name_tokens]
    facet_keys = " ".join(
        facet_key(facet, str(value)) for facet, values in document.facets.items() for value in dict.fromkeys(values)
    )
    return SearchDocumentEntry(
        kind=kind,
        document_id=document.id,
        title=document.title,
        summary=document.summary,
        title_tokens=token_string(title_tokens),
        body_tokens=token_string(body_tokens),
        identifier_tokens=token_string(identifiers),
        subword_tokens=token_string(subwords_of([*title_tokens, *body_tokens, *name_tokens])),
        gram_tokens=token_string(list(dict.fromkeys(text_grams))),
        facet_keys=facet_keys,
        published_at=document.published_at,
    )


class DocumentIndex:
    """One kind's documents in search_document_entry and its text index."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    @property
    def _sqlite(self) -> bool:
        return connection.vendor == "sqlite"

    # --- Writing ------------------------------------------------------------------------------------------

    def add(self, documents: list[DemandDocument]) -> None:
        latest = {document.id: document for document in documents}
        if not latest:
            return
        entries = [demand_entry(self.kind, document) for document in latest.values()]
        with transaction.atomic():
            self.remove(list(latest))
            SearchDocumentEntry.objects.bulk_create(entries)
            rows = list(
                SearchDocumentEntry.objects.filter(kind=self.kind, document_id__in=list(latest)).values_list(
                    "pk", flat=True
                )
            )
            with connection.cursor() as cursor:
                if self._sqlite:
                    columns = ", ".join(TOKEN_COLUMNS)
                    cursor.execute(
                        f"INSERT INTO search_document_fts(rowid, {columns}) "  # noqa: S608 - fixed columns
                        f"SELECT id, {columns} FROM search_document_entry WHERE id IN ({_placeholders(rows)})",
                        rows,
                    )
                else:
                    cursor.execute(
                        f"UPDATE search_document_entry SET document = {POSTGRES_DOCUMENT_SQL} "  # noqa: S608
                        "WHERE id = ANY(%s)",
                        [rows],
                    )

    def remove(self, ids: list[int]) -> None:
        with transaction.atomic():
            if self._sqlite:
                columns = ", ".join(TOKEN_COLUMNS)
                with connection.cursor() as cursor:
                    # External content: FTS5 needs the old tokens to delete a row.
                    cursor.execute(
                        f"INSERT INTO search_document_fts(search_document_fts, rowid, {columns}) "  # noqa: S608
                        f"SELECT 'delete', id, {columns} FROM search_document_entry "
                        f"WHERE kind = %s AND document_id IN ({_placeholders(ids)})",
                        [self.kind, *ids],
                    )
            SearchDocumentEntry.objects.filter(kind=self.kind, document_id__in=ids).delete()

    def reset(self) -> None:
        with transaction.atomic():
            ids = list(SearchDocumentEntry.objects.filter(kind=self.kind).values_list("document_id", flat=True))
            for start in range(0, len(ids), 500):
                self.remove(ids[start : start + 500])

    def count(self) -> int:
        return SearchDocumentEntry.objects.filter(kind=self.kind).count()

    # --- Reading ------------------------------------------------------------------------------------------

    def _matches(self, clauses: list[Clause]) -> list[MatchRow]:
        """Every document of this kind the clauses match (all of them without clauses), scored: the words'
        matches above 0, better higher; then the rows only the one-character fallback (grams) matches, at 0."""
        published = "julianday(e.published_at)" if self._sqlite else "extract(epoch FROM e.published_at)"
        columns = f"e.document_id, {{score}}, e.facet_keys, {published}, NULL"
        with connection.cursor() as cursor:
            if not clauses:
                cursor.execute(
                    f"SELECT {columns.format(score='0.0')} FROM search_document_entry e WHERE e.kind = %s",  # noqa: S608
                    [self.kind],
                )
                return [MatchRow(*row) for row in cursor.fetchall()]
            engine = SqliteText() if self._sqlite else PostgresText(ids_read_one_by_one=0, facet_keys_kept=0)
            words = engine.compile(clauses)
            searches = [(words, None)]
            if any(clause.fallback for clause in clauses):
                searches.append((engine.compile(clauses, fallback=True), words))
            rows: list[MatchRow] = []
            for expression, excluding in searches:
                if self._sqlite:
                    match = f"({expression}) NOT ({excluding})" if excluding else expression
                    score = "0.0" if excluding else f"-bm25(search_document_fts, {SqliteText.BM25_WEIGHTS})"
                    cursor.execute(
                        f"SELECT {columns.format(score=score)} FROM search_document_fts "  # noqa: S608
                        "JOIN search_document_entry e ON e.id = search_document_fts.rowid "
                        "WHERE search_document_fts MATCH %s AND e.kind = %s",
                        [match, self.kind],
                    )
                else:
                    # Title matches count most (weight A), as in the listings' ranking; ts_rank is above 0 for any
                    # match of the words, so the fallback's 0 ranks below them.
                    score = "0.0" if excluding else "0.000001 + ts_rank('{0.1, 0.2, 0.5, 1.0}', e.document, q)"
                    excluded = "AND NOT (e.document @@ to_tsquery('simple', %s))" if excluding else ""
                    cursor.execute(
                        f"SELECT {columns.format(score=score)} FROM search_document_entry e, "  # noqa: S608
                        f"to_tsquery('simple', %s) AS q WHERE e.kind = %s AND e.document @@ q {excluded}",
                        [expression, self.kind, *([excluding] if excluding else [])],
                    )
                rows += [MatchRow(*row) for row in cursor.fetchall()]
            return rows

    def search(self, query: SearchQuery) -> tuple[int, list[tuple[int, float | None]], dict]:
        clauses = parse_query(query.text)
        matches = self._matches(clauses)
        sets = Counter(match.facet_keys for match in matches)
        keys_of = {facet_keys: tuple(facet_keys.split()) for facet_keys in sets}
        total, facet_counts = tally([(keys_of[keys], count) for keys, count in sets.items()], query)
        wanted = wanted_keys(query.active_filters())
        passing = [match for match in matches if passes(keys_of[match.facet_keys], wanted)] if wanted else matches
        # Without words, "relevance" lists the newest first, as for listings.
        sort = query.sort if clauses else "newest"
        first = heapq.nsmallest(query.offset + query.page_size, passing, key=MATCH_ORDERINGS[sort])
        scored = bool(clauses) and query.sort == "relevance"
        return (
            total,
            [(match.listing_id, match.score if scored else None) for match in first[query.offset :]],
            facet_counts,
        )

    def titles_and_summaries(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        return {
            document_id: (title, summary)
            for document_id, title, summary in SearchDocumentEntry.objects.filter(
                kind=self.kind, document_id__in=ids
            ).values_list("document_id", "title", "summary")
        }
