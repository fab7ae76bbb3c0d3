"""Chinese-aware search of policy news, with the tokenizer of `search/` (jieba and the domain dictionary).

Wagtail's database backend matches whole CJK runs only (it does not segment Chinese), so each article stores its
segmented text in `search_text`, filled on save, and queries are matched against it with the ORM. The stored text
holds two token streams separated by " | ", each token padded by single spaces:

    " 知识产权 以 许可 方式 对外 扩散 | 知识 产权 "

- the main stream (jieba's precise cut) keeps order, so a word that splits into several tokens (石墨烯 → 石墨 / 烯)
  is looked for as a phrase, never as loose tokens;
- the sub-word stream adds the shorter words inside long ones (知识产权 → 知识, 产权).

A query word made of several *whole words* (知识产权许可 → 知识产权 / 许可) also matches an article that has every
one of those words anywhere: policy texts rarely put the two side by side, and readers mean both concepts.
The article's title and document number also match the query as a plain substring.
"""

from django.db.models import Q

from search.text import Match, parse_query, segment, subwords

STREAM_SEPARATOR = " | "


def search_text_for(texts: list[str]) -> str:
    """The stored search text for an article's texts (title, summary, body, authority, tags ...)."""
    text = "\n".join(part for part in texts if part)
    main = segment(text)
    extra = subwords(text)
    return f" {' '.join(main)}{STREAM_SEPARATOR}{' '.join(extra)} "


def _match_q(match: Match) -> Q:
    phrase = " ".join(match.tokens)
    condition = Q(search_text__contains=f" {phrase}" if match.prefix else f" {phrase} ")
    if len(match.tokens) > 1 and all(len(token) > 1 for token in match.tokens):
        every_word = Q()
        for token in match.tokens:
            every_word &= Q(search_text__contains=f" {token} ")
        condition |= every_word
    return condition


def search_q(query: str) -> Q | None:
    """The condition for articles matching what the user typed (words are ANDed), or None for an empty query."""
    query = (query or "").strip()
    clauses = parse_query(query)
    if not query or not clauses:
        return None
    tokens_match = Q()
    for clause in clauses:
        alternatives = Q()
        for match in clause.alternatives:
            alternatives |= _match_q(match)
        tokens_match &= alternatives
    return tokens_match | Q(title__icontains=query) | Q(document_number__icontains=query)
