"""What both engines do with the matches they read: filter them by facet set, count the facets, order them."""

from collections.abc import Iterable
from typing import NamedTuple

from search.backends.base import SearchQuery


class MatchRow(NamedTuple):
    """A listing an engine matched, with its score (higher is better) and sort keys."""

    listing_id: int
    score: float
    facet_keys: str
    published: float | None  # when it was published: a Julian day (SQLite), microseconds since 1970 (PostgreSQL)
    price_fen: int | None


# Sort keys over matches, for heapq.nsmallest: each puts the wanted first, ties to the newest listing id.
MATCH_ORDERINGS = {
    "relevance": lambda m: (-m.score, -m.listing_id),
    "newest": lambda m: (m.published is None, -(m.published or 0), -m.listing_id),
    "price_asc": lambda m: (m.price_fen is None, m.price_fen or 0, -m.listing_id),
    "price_desc": lambda m: (m.price_fen is None, -(m.price_fen or 0), -m.listing_id),
}


def facet_key(facet: str, value: str) -> str:
    """`facet:value`, as a facet set's `facet_keys` holds it space-separated: values are slugs and ids, never spaced."""
    return f"{facet}:{value}"


def wanted_keys(filters: dict[str, list[str]]) -> dict[str, set[str]]:
    return {facet: {facet_key(facet, value) for value in values} for facet, values in filters.items()}


def passes(keys: tuple[str, ...], wanted: dict[str, set[str]]) -> bool:
    return all(not accepted.isdisjoint(keys) for accepted in wanted.values())


def tally(groups: Iterable[tuple[tuple[str, ...], int]], query: SearchQuery) -> tuple[int, dict[str, dict[str, int]]]:
    """How many matches every filter lets through, and the facet counts, from the matches grouped by facet set
    (the set's keys, `facet:value`, with how many matches have exactly those keys).

    A facet's counts ignore its own filter: a match that fails only facet F's filter still counts toward F's
    values (what clicking another value of F would give), and toward no other facet.
    """
    wanted = wanted_keys(query.active_filters())
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
    return total, counts_by_facet(counts, query.facets)


def counts_by_facet(counts: dict[str, int], facets: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """{facet: {value: count}} for the wanted facets, most frequent value first, from `facet:value` counts."""
    facet_counts: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        facet, _, value = key.partition(":")
        if facet in facet_counts:
            facet_counts[facet][value] = count
    return facet_counts
