"""Turn Chinese and English text into the tokens the search index stores, and queries into what to look for.

Chinese has no spaces, so it is segmented with jieba's dictionary, through `rjieba` (a binding of the Rust port:
the same tokens, ~8× faster; `tests/search/test_text.py` compares the two on the demo vocabulary). The index keeps
three streams per text:

- the *main* stream: jieba's precise segmentation, in order, so that a query word that segments into several
  tokens can be searched as a phrase (adjacent tokens) — ANDing them would let unrelated rows match;
- the *sub-word* stream: the shorter dictionary words inside long words, exactly what jieba's search mode adds
  (锂电池 → 锂电, 电池), kept apart so they do not break the adjacency of the main stream;
- the *gram* stream (`grams`): every two adjacent characters of each run of Chinese, marked (`g污水 g水处 g处理 g理厂
  g厂`), the run's last character alone. It finds what segmentation misses: a query word the text cut differently
  (污水处理 in 污水 / 处理厂) and a single character (锂 inside 磷酸铁锂). Queries use it as a fallback
  (`Clause.fallback`), which backends rank below the words themselves.

English words are lower-cased and lightly stemmed (batteries → battery). Application numbers and IPC codes are
stored as single alphanumeric tokens (see `application_number_tokens` and `ipc_tokens`) so every index engine
keeps them whole and prefix search works on them.
"""

import functools
import html
import re
import threading
import unicodedata
from dataclasses import dataclass

import rjieba

from listings.patents.ipc import IpcCodeError, parse_ipc, parse_ipc_prefix
from listings.patents.numbers import ApplicationNumberError, parse_application_number

# Technology words jieba's default dictionary splits (石墨烯 → 石墨 / 烯) or that buyers search as one term. A split
# word is searched as a phrase, which PostgreSQL can only confirm by reading every candidate's whole document; a
# word of the dictionary is one index lookup. The list shapes the stored tokens: after changing it, run
# `manage.py search_index rebuild`, or listings indexed before will not match the new words.
DOMAIN_WORDS = (
    "石墨烯",
    "锂电池",
    "锂离子电池",
    "钠离子电池",
    "燃料电池",
    "正极材料",
    "负极材料",
    "固态电解质",
    "电解液",
    "隔膜",
    "钙钛矿",
    "碳化硅",
    "氮化镓",
    "光伏",
    "储能",
    "新能源汽车",
    "碳纤维",
    "纳米材料",
    "人工智能",
    "机器学习",
    "深度学习",
    "区块链",
    "物联网",
    "芯片",
    "半导体",
    "大数据",
    "云计算",
    "边缘计算",
    "机器视觉",
    "语音识别",
    "自动驾驶",
    "工业机器人",
    "增材制造",
    "新材料",
    "量子通信",
    "水处理",
    "单克隆抗体",
    "基因编辑",
    "靶向药物",
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of CJK characters, or a run of other letters and digits (English words, numbers, model codes).
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")

_CJK_RUN = re.compile(rf"[{_CJK}]+")
# Marks a gram token: no word of the main streams mixes Latin letters with Chinese, so a gram never equals a word.
GRAM_MARK = "g"

_tokenizer: rjieba.Jieba | None = None
_tokenizer_lock = threading.Lock()


def _jieba() -> rjieba.Jieba:
    """Our own tokenizer (jieba's dictionary, in rjieba) with the domain dictionary, built on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                tokenizer = rjieba.Jieba()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word, None, None)  # the frequency that keeps the word whole, as jieba's
                _tokenizer = tokenizer
    return _tokenizer


def stem(word: str) -> str:
    """A deliberately small English suffix stripper: plurals, then -ing / -ed, then a final -e.

    Index and queries go through the same function, so it only needs to be consistent, not linguistically
    perfect: batteries/battery → battery, coated/coating/coats → coat, processes/processing → process.
    """
    if not word.isalpha() or not word.isascii() or len(word) <= 3:
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if word.endswith(suffix):
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    for suffix in ("ing", "ed"):
        stripped = word[: -len(suffix)]
        if word.endswith(suffix) and len(stripped) >= 3 and re.search("[aeiouy]", stripped):
            word = stripped
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _normalise(text: str) -> str:
    # NFKC turns full-width letters and digits (typed with a Chinese input method) into ASCII.
    return unicodedata.normalize("NFKC", text or "").lower()


def _is_cjk(run: str) -> bool:
    # The ranges of _CJK, compared directly: indexing asks this of every run of every text.
    first = run[:1]
    return "\u3400" <= first <= "\u4dbf" or "\u4e00" <= first <= "\u9fff" or "\uf900" <= first <= "\ufaff"


def segment(text: str) -> list[str]:
    """The main token stream: jieba's precise segmentation for Chinese, stemmed words for the rest, in order."""
    return segment_with_grams(text, with_grams=False)[0]


def segment_with_grams(text: str, *, with_grams: bool = True) -> tuple[list[str], list[str]]:
    """`segment(text)` and, with `with_grams`, `grams(text)`, normalising and splitting the text once (indexing
    does both for every text of every listing)."""
    tokens: list[str] = []
    text_grams: list[str] = []
    for run in _RUN.findall(_normalise(text)):
        if _is_cjk(run):
            run_tokens, run_grams = _chinese_run(run)
            tokens.extend(run_tokens)
            if with_grams:
                text_grams.extend(run_grams)
        else:
            tokens.append(stem(run))
    return tokens, text_grams


# Indexing segments every listing's text; phrases and words recur across listings (一种, 本发明涉及, 锂电池): over
# nine runs in ten of the demo listings were segmented before, so the tokens and grams of recent runs are kept.
@functools.lru_cache(maxsize=200_000)
def _chinese_run(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A run of Chinese's tokens (`segment`) and grams (`grams`)."""
    return _segment_chinese(run), tuple(GRAM_MARK + run[i : i + 2] for i in range(len(run)))


def _segment_chinese(run: str) -> tuple[str, ...]:
    return tuple(word for word in _jieba().cut(run) if word.strip())


def grams(text: str) -> list[str]:
    """The gram stream: for each run of Chinese, every two adjacent characters, and its last character alone, each
    marked with GRAM_MARK. 污水处理厂 → g污水 g水处 g处理 g理厂 g厂. A word of n characters is then n - 1 adjacent grams
    wherever it stands, however the text was segmented, and a single character starts a gram wherever it stands."""
    return segment_with_grams(text)[1]


@functools.lru_cache(maxsize=100_000)
def _word_parts(word: str) -> tuple[str, ...]:
    return tuple(part for part in _jieba().cut_for_search(word) if part != word and len(part) > 1)


def subwords(text: str) -> list[str]:
    """Shorter dictionary words inside long Chinese words, as jieba's search mode adds them: 锂电池 → 锂电, 电池."""
    return subwords_of(segment(text))


def subwords_of(tokens: list[str]) -> list[str]:
    """`subwords` for text already segmented, so that indexing segments each text once."""
    return [part for word in tokens if len(word) > 2 and _is_cjk(word) for part in _word_parts(word)]


def title_words(title_tokens: str) -> str:
    """A title's stored tokens and the sub-words inside them: a query for 电池 is about a listing titled 锂电池…."""
    tokens = title_tokens.split()
    return token_string([*tokens, *subwords_of(tokens)])


def token_string(tokens: list[str]) -> str:
    """Tokens as the index stores them: one string, separated by single spaces."""
    return " ".join(tokens)


# --- Identifiers --------------------------------------------------------------------------------------------


def application_number_tokens(normalised: str) -> list[str]:
    """'201910000042.X' → ['201910000042x', '201910000042']: with its check digit, and the digits alone."""
    digits, _, check = normalised.partition(".")
    return [f"{digits}{check}".lower(), digits]


def ipc_token(prefix: str) -> str:
    """An IPC code or leading part as one alphanumeric token: 'H01M 4/525' → 'ipch01m4g525'.

    The main group ends in 'g' (for the '/'), so 'H01M 4/' → 'ipch01m4g' never matches 'H01M 40/...'.
    """
    return "ipc" + prefix.lower().replace(" ", "").replace("/", "g")


def ipc_prefixes(code: str) -> list[str]:
    """'H01M 4/525' → ['H', 'H01', 'H01M', 'H01M 4/']: what a search by prefix may type."""
    try:
        parsed = parse_ipc(code)
    except IpcCodeError:
        return []
    return [parsed.section, parsed.class_code, parsed.subclass_code, parsed.main_group_prefix]


def ipc_tokens(code: str) -> list[str]:
    """Tokens for one IPC code: every prefix level and the full code."""
    try:
        full = parse_ipc(code).normalised
    except IpcCodeError:
        return []
    return [ipc_token(prefix) for prefix in [*ipc_prefixes(code), full]]


def ipc_prefix_tokens(prefix: str) -> list[str]:
    """Tokens for an IPC code or a leading part of one, as a technology demand gives them ('H01M', 'H01M 4/'): that
    part and every level above it, so a search for 'H01' or 'H01M' finds a demand that named 'H01M 4/'."""
    try:
        normal = parse_ipc_prefix(prefix)
    except IpcCodeError:
        return []
    if "/" in normal and not normal.endswith("/"):
        return ipc_tokens(normal)
    levels = [normal[:length] for length in (1, 3, 4) if len(normal) >= length]
    return [ipc_token(level) for level in dict.fromkeys([*levels, normal])]


# --- Queries ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """Adjacent tokens (a phrase, or one token); with `prefix`, the last token only has to start the word."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Clause:
    """One thing the user typed: a row matches when any alternative matches. Clauses are ANDed.

    `fallback`: gram matches (see `grams`) that also find the word where the text was segmented differently, or
    a single character inside words. A backend matches them too, but ranks a row that only they match below the
    rows the alternatives match."""

    alternatives: tuple[Match, ...]
    fallback: tuple[Match, ...] = ()


# Application numbers and IPC codes may be written with spaces inside ('ZL 2017 1 0601862.3', 'H01M 4/525'),
# so they are taken out of the query before it is split into words.
_SPACED_NUMBER = re.compile(
    r"(?<![0-9A-Z])(?:CN|ZL)? ?(?:\d{4} ?\d ?\d{7}|\d{2} ?\d ?\d{5})\.?[\dX](?![0-9A-Z])", re.IGNORECASE
)
_SPACED_IPC = re.compile(r"(?<![0-9A-Z])[A-H]\d{2}[A-Z] *\d{1,4} */ *\d*", re.IGNORECASE)
_IPC_WORD = re.compile(r"[A-H]\d{2}(?:[A-Z](?:\d{1,4}/?\d*)?)?", re.IGNORECASE)
# A run of digits this long is the start of an application number, not a quantity.
_NUMBER_PREFIX_MIN_DIGITS = 6


def _number_match(text: str) -> Match | None:
    try:
        number = parse_application_number(text)
    except ApplicationNumberError:
        return None
    return Match((application_number_tokens(number.normalised)[0],))


def _ipc_match(text: str) -> Match | None:
    if not _IPC_WORD.fullmatch(text.replace(" ", "")):
        return None
    try:
        prefix = parse_ipc_prefix(text)
    except IpcCodeError:
        return None
    # Down to the main group the index holds the exact token; a (partial) subgroup is matched by prefix.
    has_subgroup = prefix.endswith("/") is False and "/" in prefix
    return Match((ipc_token(prefix),), prefix=has_subgroup)


def _word_clause(word: str) -> Clause | None:
    alternatives: list[Match] = []
    number = _number_match(word)
    if number:
        alternatives.append(number)
    else:
        digits = re.sub(r"^(?:CN|ZL)|\.", "", unicodedata.normalize("NFKC", word).upper())
        if digits.isdigit() and len(digits) >= _NUMBER_PREFIX_MIN_DIGITS:
            alternatives.append(Match((digits,), prefix=True))
    ipc = _ipc_match(unicodedata.normalize("NFKC", word))
    if ipc:
        alternatives.append(ipc)
    tokens = segment(word)
    if tokens:
        alternatives.append(Match(tuple(tokens)))
    fallback = _gram_match(word)
    return Clause(tuple(dict.fromkeys(alternatives)), (fallback,) if fallback else ()) if alternatives else None


def _gram_match(word: str) -> Match | None:
    """A Chinese word as adjacent grams (污水处理 → g污水 g水处 g处理), a single character as the start of a gram (锂 →
    g锂…); None for a word that is not one run of Chinese."""
    word = _normalise(word)
    if not _CJK_RUN.fullmatch(word):
        return None
    if len(word) == 1:
        return Match((GRAM_MARK + word,), prefix=True)
    return Match(tuple(GRAM_MARK + word[i : i + 2] for i in range(len(word) - 1)))


def parse_query(text: str) -> list[Clause]:
    """What the user typed, as clauses for a backend to compile. Words are ANDed; see Match and Clause."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    clauses: list[Clause] = []
    for pattern, to_match in ((_SPACED_NUMBER, _number_match), (_SPACED_IPC, _ipc_match)):
        for found in list(pattern.finditer(text)):
            match = to_match(found.group())
            if match:
                clauses.append(Clause((match,)))
                text = text.replace(found.group(), " ", 1)
    for word in text.split():
        clause = _word_clause(word)
        if clause:
            clauses.append(clause)
    return clauses


@functools.lru_cache(maxsize=256)
def query_terms(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """What to mark in a result: Chinese words as written (from the query's tokens), and English stems.

    Cached: a results page highlights each of its titles and summaries with the same query."""
    chinese: set[str] = set()
    english: set[str] = set()
    for clause in parse_query(text):
        for alternative in clause.alternatives:
            for token in alternative.tokens:
                if _is_cjk(token):
                    chinese.add(token)
                elif token.isalpha():
                    english.add(token)
    return frozenset(chinese), frozenset(english)


# --- Highlighting -------------------------------------------------------------------------------------------


def _match_spans(text: str, chinese: frozenset[str], english: frozenset[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for word in chinese:
        spans.extend((found.start(), found.end()) for found in re.finditer(re.escape(word), text))
    if english:
        for found in re.finditer(r"[^\W_]+", text):
            if stem(_normalise(found.group())) in english:
                spans.append((found.start(), found.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: str, max_chars: int | None = None) -> str:
    """The text, HTML-escaped, with <mark> around what the query matched; with `max_chars`, a window around the
    first match, with an ellipsis where text was cut. The result is safe to mark_safe()."""
    text = text or ""
    chinese, english = query_terms(query)
    spans = _match_spans(text, chinese, english)
    start, end = 0, len(text)
    if max_chars and len(text) > max_chars:
        # Start a little before the first match so the reader sees what leads up to it.
        start = max(0, min(spans[0][0] - max_chars // 5, len(text) - max_chars)) if spans else 0
        end = start + max_chars
    pieces = ["…"] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces.append(html.escape(text[position:span_start]))
        pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(html.escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces)
