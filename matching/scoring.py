"""How a demand and a listing are scored, and how near-identical listings are recognised.

The method, in four stages:

1. **What the demand asks for** (`demand_terms`). Firms describe the product and the pain ("光伏板积灰后发电量
   下降", "漏检率高"), rarely the technology. Their title and description are segmented with the search index's own
   segmenter (search.text.segment); generic words (vocabulary.STOPWORDS) are dropped; and every concept of the
   domain vocabulary (vocabulary.CONCEPTS) whose cue appears in the text adds the technical terms patents use for
   the same thing ("清洁", "光伏组件") and its IPC groups. Title words count fully, description words 0.6, concept
   terms 0.7; a word the firm wrote that a concept also names gets 0.3 more. The demand's own IPC classes join the
   IPC groups.
2. **Candidates from the search engine** (`matching.services`): each key term, and each IPC group, is a query
   through the search backend's ordinary interface (search.get_search_backend().search), so the database backend
   and Elasticsearch serve it alike. The number of listings each term finds is its document frequency: a term's
   weight is its factor × idf, ln(1 + N / (df + 1)), and a term found in over a fifth of a large market says nothing
   (weight 0).
3. **The pair's score** (`score_pair`), in [0, 1], the same whichever side asked:
   - text: the weight of the demand's terms found in the listing's text (title, summary, fields, patents' titles
     and abstracts), over the weight of its three heaviest terms, capped at 1 — a listing that has the demand's two
     or three most specific terms scores fully, one that shares only common words little, and one that shares a
     single term counts half;
   - title bigrams: the share of the listing's core title (boilerplate such as 一种 / 的制备方法 / 专利技术 removed)
     whose character bigrams occur in the demand's text, which catches what segmentation cut differently;
   - IPC: 1 when a listing's code falls in one of the demand's IPC groups, 0.6 when only the subclass agrees;
   - 0.55 text + 0.25 bigrams + 0.20 IPC, times a field prior (1 in the demand's technology field, 0.85
     outside it), plus 0.03 when seller and demand are in the same city. Without text evidence (text < 0.15 and
     bigrams < 1/3) the score is capped at 0.2, so field, region and IPC alone never make a match.
   A pair is shown from settings.MATCHING_MIN_SCORE up: below it, nothing convincing matched. A demand's page
   also leaves out what scores under settings.MATCHING_RELATIVE_CUTOFF × its best match: when one listing
   answers the need squarely, its distant cousins are noise.
4. **Families** (`same_family`): the same technology listed many times (by co-owners, as a patent and as a
   package) should not fill the top N. Two listings are one family when they share a patent, or their core titles'
   bigram Dice similarity is at least 0.6. A demand's matches keep the best of each family.
"""

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from matching.vocabulary import CONCEPTS, STOPWORDS
from search.text import segment

TITLE_FACTOR = 1.0
DESCRIPTION_FACTOR = 0.6
CONCEPT_FACTOR = 0.7
# A word the firm wrote that the vocabulary also names for its problem: the strongest evidence of what it needs.
CORROBORATED_BONUS = 0.3
MAX_TERMS = 16
GENERIC_SHARE = 0.2  # a term found in more than this share of the market carries no weight...
GENERIC_MIN_MARKET = 50  # ...once the market is big enough for the share to mean something
FAMILY_SIMILARITY = 0.6

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Title boilerplate of Chinese patents and listings: it says what kind of document, not what technology.
_TITLE_BOILERPLATE = re.compile(
    r"^一种|等\d+件专利|（专利包）|\(专利包\)|相关专利组合|（\d+件）|\(\d+件\)|及其制备方法|的制备方法|制备方法|"
    r"和应用|及其应用|及应用|方法及系统|及系统|专利技术|关键技术|技术$|装置$|方法$|系统$"
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def core_title(title: str) -> str:
    text = normalise(title)
    previous = None
    while previous != text:
        previous, text = text, _TITLE_BOILERPLATE.sub("", text)
    return re.sub(r"[\s\W_]+", "", text)


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@dataclass(frozen=True)
class DemandTerms:
    """What matching looks for on behalf of one demand (stored as matching.models.DemandProfile)."""

    demand_id: int
    organisation_id: int
    field: str
    city: str
    text: str  # normalised title and description
    terms: tuple[tuple[str, float], ...]  # (term, weight), heaviest first
    concepts: tuple[str, ...] = ()
    ipc_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListingText:
    """What matching reads of one listing."""

    id: int
    seller_id: int
    city: str
    title: str
    text: str  # normalised: title, summary, fields, comparison, patents' titles and abstracts
    ipc_codes: tuple[str, ...]
    application_numbers: tuple[str, ...] = ()
    core: str = field(default="", compare=False)

    def __post_init__(self):
        object.__setattr__(self, "core", core_title(self.title))


def _keep(word: str) -> bool:
    if word in STOPWORDS or not _HAS_LETTER.search(word):
        return False
    return len(word) >= 2 if _CJK.search(word) else len(word) >= 3


def key_terms(title: str, description: str) -> tuple[dict[str, float], list[str], list[str]]:
    """The demand's terms with their factors, the concepts its words call up, and those concepts' IPC groups."""
    factors: dict[str, float] = {}
    for text, factor in ((description, DESCRIPTION_FACTOR), (title, TITLE_FACTOR)):
        for word in segment(text):
            if _keep(word):
                factors[word] = max(factors.get(word, 0.0), factor)
    own_words = dict(factors)
    whole = normalise(f"{title} {description}")
    concepts, ipc = [], []
    for concept in CONCEPTS:
        if any(normalise(cue) in whole for cue in concept.cues):
            concepts.append(concept.name)
            ipc.extend(concept.ipc)
            for term in concept.terms:
                term = normalise(term)
                own = own_words.get(term, 0.0)
                factors[term] = own + CORROBORATED_BONUS if own else max(factors.get(term, 0.0), CONCEPT_FACTOR)
    ranked = sorted(factors.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[:MAX_TERMS]
    return dict(ranked), concepts, list(dict.fromkeys(ipc))


def term_weight(factor: float, document_frequency: int, market_size: int) -> float:
    if market_size >= GENERIC_MIN_MARKET and document_frequency > GENERIC_SHARE * market_size:
        return 0.0
    return factor * math.log(1 + market_size / (document_frequency + 1))


def _ipc_agreement(prefixes: Iterable[str], codes: Iterable[str]) -> tuple[float, list[str]]:
    best, shared = 0.0, []
    codes = [code.upper() for code in codes]
    for prefix in prefixes:
        prefix = prefix.upper()
        if any(code.startswith(prefix) for code in codes):
            value = 1.0 if ("/" in prefix or len(prefix) > 4) else 0.6
            shared.append(prefix)
        elif any(code[:4] == prefix[:4] for code in codes):
            value = 0.6
            shared.append(prefix[:4])
        else:
            continue
        best = max(best, value)
    return best, list(dict.fromkeys(shared))


def score_pair(demand: DemandTerms, listing: ListingText) -> tuple[float, dict]:
    """The pair's score in [0, 1] and the reasons behind it (see the module's docstring)."""
    if demand.organisation_id == listing.seller_id:
        return 0.0, {}
    weights = [weight for _term, weight in demand.terms if weight > 0]
    norm = sum(sorted(weights, reverse=True)[:3]) or 1.0
    matched = [(term, weight) for term, weight in demand.terms if weight > 0 and term in listing.text]
    # One shared term alone is weak evidence, however specific: it counts half.
    text = min(1.0, sum(weight for _term, weight in matched) / norm) * min(1.0, len(matched) / 2)
    title_grams = {gram for gram in bigrams(listing.core) if _CJK.search(gram)}
    title_share = sum(1 for gram in title_grams if gram in demand.text) / len(title_grams) if title_grams else 0.0
    ipc, shared_ipc = _ipc_agreement(demand.ipc_prefixes, listing.ipc_codes)
    sections = {code[:1].upper() for code in listing.ipc_codes}
    same_field = demand.field.upper() in sections
    same_region = bool(demand.city) and demand.city == listing.city
    score = (0.55 * text + 0.25 * title_share + 0.20 * ipc) * (1.0 if same_field else 0.85)
    score += 0.03 if same_region else 0.0
    if text < 0.15 and title_share < 1 / 3:
        score = min(score, 0.2)
    reasons = {
        "words": [term for term, _weight in sorted(matched, key=lambda item: -item[1])[:6]],
        "ipc": shared_ipc[:4],
        "same_field": same_field,
        "same_region": same_region,
    }
    return round(min(1.0, max(0.0, score)), 4), reasons


def same_family(a: ListingText, b: ListingText) -> bool:
    if set(a.application_numbers) & set(b.application_numbers):
        return True
    return dice(bigrams(a.core), bigrams(b.core)) >= FAMILY_SIMILARITY


def best_of_families(ranked: list, listing_of=lambda item: item) -> list[tuple[object, int]]:
    """Keep the first (best) item of each family of near-identical listings, in order, with how many of its family
    were left out."""
    kept: list[list] = []
    for item in ranked:
        listing = listing_of(item)
        for entry in kept:
            if same_family(listing_of(entry[0]), listing):
                entry[1] += 1
                break
        else:
            kept.append([item, 0])
    return [(item, left_out) for item, left_out in kept]
