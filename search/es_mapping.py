"""The Elasticsearch index of listings: its analyzer choice, its Document mapping, and how a `ListingDocument`
becomes an indexed document. Pure: nothing here talks to a cluster, so the offline tests compare these dicts.

Text is analysed by Elasticsearch, not by jieba (search.text is the database backend's segmenter). The analyzer is
chosen by the ANALYZER setting: the built-in `cjk` (overlapping bigrams, works on every cluster) by default, or a
word segmenter when the cluster has its plugin: `smartcn` (analysis-smartcn) or `ik_max_word` (analysis-ik, which
indexes every word it finds and searches with the coarser `ik_smart`). Every text field also has an `english`
sub-field, because none of these analyzers stems English (batteries / battery, recycled / recycling).

Every text field also has a `chars` sub-field, analysed by the `standard` analyzer, which makes each Chinese
character a token of its own: a phrase of characters finds a word however the main analyzer cut the text around
it (a word segmenter may cut 污水处理厂 into 污水 / 处理厂), and a single character inside words (锂 in 锂电池, which
`cjk` bigrams never index alone). Queries use it as a fallback, ranked below the main fields
(`search.backends.elasticsearch.queries`).

Application numbers and IPC codes are keyword fields holding exactly the tokens the database backend stores
(`search.text.application_number_tokens` / `ipc_tokens`: every IPC level and the full code), so both backends
read a query such as 'CN201910000042.X' or 'H01M 4/' the same way.
"""

from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from elasticsearch.dsl import Date, Document, Index, Keyword, Long, MetaField, Text

from search.backends.base import DEMAND_FACETS, FACETS, DemandDocument, ListingDocument
from search.text import application_number_tokens, ipc_prefix_tokens, ipc_tokens


@dataclass(frozen=True)
class Analysis:
    index: str
    search: str | None = None  # None: search with the index analyzer
    # `cjk` bigrams must be adjacent and in order for a query word to match as a substring (石墨烯 must not find
    # 石墨 ... 烯). A word segmenter may cut a word differently inside a longer text (ik_max_word indexes
    # overlapping words at successive positions), so there every token of the word must be in one field instead.
    words_as_phrase: bool = True


ANALYZERS = {
    "cjk": Analysis("cjk"),
    "smartcn": Analysis("smartcn", words_as_phrase=False),
    "ik_max_word": Analysis("ik_max_word", search="ik_smart", words_as_phrase=False),
}
DEFAULT_ANALYZER = "cjk"
ENGLISH_ANALYZER = "english"
CHARS_ANALYZER = "standard"  # one token per Chinese character; English words whole and lower-cased

# One shard keeps relevance statistics exact (a listing index stays far below a shard's comfortable size);
# INDEX_SETTINGS in SEARCH_BACKENDS overrides these.
DEFAULT_INDEX_SETTINGS = {"number_of_shards": 1}


def analysis_for(name: str) -> Analysis:
    try:
        return ANALYZERS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"Unknown Elasticsearch analyzer {name!r} (SEARCH_BACKENDS ANALYZER / ELASTICSEARCH_ANALYZER): "
            f"use one of {', '.join(ANALYZERS)}; 'smartcn' and 'ik_max_word' need that plugin on the cluster."
        ) from None


def _text(analysis: Analysis, *, english: bool = True) -> Text:
    options = {"analyzer": analysis.index}
    if analysis.search:
        options["search_analyzer"] = analysis.search
    fields = {"english": Text(analyzer=ENGLISH_ANALYZER)} if english else {}
    options["fields"] = {**fields, "chars": Text(analyzer=CHARS_ANALYZER)}
    return Text(**options)


@cache
def document_class(analyzer: str) -> type[Document]:
    """The Document class for one analyzer setting (the fields are the same, only their analyzers differ)."""
    analysis = analysis_for(analyzer)
    fields = {
        "listing_id": Long(),  # sorting on _id is disabled in Elasticsearch 8: ties are broken on this
        "title": _text(analysis),
        "summary": _text(analysis),
        "body": _text(analysis),  # application fields, comparison, each patent's title, abstract, first claim
        "names": _text(analysis, english=False),  # applicants, inventors, seller
        # The seller's English version: English only (stemming, stop words), searched, never highlighted.
        "title_en": Text(analyzer=ENGLISH_ANALYZER),
        "summary_en": Text(analyzer=ENGLISH_ANALYZER),
        "application_numbers": Keyword(),
        "ipc": Keyword(),
        **{facet: Keyword() for facet in FACETS},
        "published_at": Date(),
        "price_fen": Long(),
    }
    meta = type("Meta", (), {"dynamic": MetaField("strict")})
    return type(f"ListingIndexDocument_{analyzer}", (Document,), {**fields, "Meta": meta, "__module__": __name__})


def listing_index(name: str, analyzer: str, settings: dict | None = None) -> Index:
    index = Index(name)
    index.settings(**{**DEFAULT_INDEX_SETTINGS, **(settings or {})})
    index.document(document_class(analyzer))
    return index


def index_body(analyzer: str, settings: dict | None = None) -> dict:
    """What creating an index sends: its settings and mappings."""
    return listing_index("listings", analyzer, settings).to_dict()


def bulk_action(document: ListingDocument, index: str, analyzer: str = DEFAULT_ANALYZER) -> dict:
    """One `index` action for helpers.bulk: the listing id is the document id, so indexing again replaces it."""
    names = [*document.applicant_names, *document.inventor_names, document.seller_name]
    source = document_class(analyzer)(
        meta={"id": str(document.id), "index": index},
        listing_id=document.id,
        title=document.title,
        summary=document.summary,
        title_en=document.title_en or None,  # absent rather than empty, like the other empty fields
        summary_en=document.summary_en or None,
        body=list(document.body_texts),
        names=[name for name in names if name],
        application_numbers=list(
            dict.fromkeys(
                token for number in document.application_numbers for token in application_number_tokens(number)
            )
        ),
        ipc=list(dict.fromkeys(token for code in document.ipc_codes for token in ipc_tokens(code))),
        published_at=document.published_at,
        price_fen=document.price_fen,
        **{facet: list(dict.fromkeys(str(value) for value in document.facets.get(facet, ()))) for facet in FACETS},
    )
    return source.to_dict(include_meta=True)


# --- Technology demands: an index of their own, beside the listings' (alias `<INDEX>-demands`) ----------------


@cache
def demand_document_class(analyzer: str) -> type[Document]:
    """A demand as Elasticsearch indexes it: the listing fields' names and analysers where they mean the same
    (title, summary, body, names, title_en, summary_en, ipc), so the same text query finds both kinds alike."""
    analysis = analysis_for(analyzer)
    fields = {
        "demand_id": Long(),  # ties are broken on this, as on listing_id
        "title": _text(analysis),
        "summary": _text(analysis),  # the description
        "body": _text(analysis),
        "names": _text(analysis, english=False),  # the organisation
        "title_en": Text(analyzer=ENGLISH_ANALYZER),
        "summary_en": Text(analyzer=ENGLISH_ANALYZER),
        "ipc": Keyword(),
        **{facet: Keyword() for facet in DEMAND_FACETS},
        "published_at": Date(),
    }
    meta = type("Meta", (), {"dynamic": MetaField("strict")})
    return type(f"DemandIndexDocument_{analyzer}", (Document,), {**fields, "Meta": meta, "__module__": __name__})


def demand_index(name: str, analyzer: str, settings: dict | None = None) -> Index:
    index = Index(name)
    index.settings(**{**DEFAULT_INDEX_SETTINGS, **(settings or {})})
    index.document(demand_document_class(analyzer))
    return index


def demand_index_body(analyzer: str, settings: dict | None = None) -> dict:
    return demand_index("demands", analyzer, settings).to_dict()


def demand_bulk_action(document: DemandDocument, index: str, analyzer: str = DEFAULT_ANALYZER) -> dict:
    """One `index` action for helpers.bulk: the demand id is the document id."""
    source = demand_document_class(analyzer)(
        meta={"id": str(document.id), "index": index},
        demand_id=document.id,
        title=document.title,
        summary=document.summary,
        title_en=document.title_en or None,
        summary_en=document.summary_en or None,
        body=list(document.body_texts),
        names=[document.organisation_name] if document.organisation_name else [],
        ipc=list(dict.fromkeys(token for code in document.ipc_codes for token in ipc_prefix_tokens(code))),
        published_at=document.published_at,
        **{facet: list(dict.fromkeys(str(v) for v in document.facets.get(facet, ()))) for facet in DEMAND_FACETS},
    )
    return source.to_dict(include_meta=True)
