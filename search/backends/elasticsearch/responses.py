"""A search response body as `SearchResults`, its highlights escaped exactly as the database backend escapes them."""

import html
import re

from search.backends.base import SUMMARY_SNIPPET_CHARS, SearchHit, SearchQuery, SearchResults
from search.text import highlight

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
