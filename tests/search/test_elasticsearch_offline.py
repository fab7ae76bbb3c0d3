"""The Elasticsearch backend without a cluster: its mapping, its request bodies and its index/alias moves.

Bodies are compared as dicts (the order of their properties varies between runs). What a cluster does with them is the
contract suite's business (tests/search/test_contract.py, run when ELASTICSEARCH_URL is set).
"""

import json
import re
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from elastic_transport import ApiResponseMeta, HeadApiResponse, HttpHeaders, NodeConfig, ObjectApiResponse
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch import BadRequestError, Elasticsearch

from search import get_search_backend, reset_search_backends
from search.backends.base import DemandDocument, ListingDocument, SearchQuery
from search.backends.elasticsearch import (
    ElasticsearchSearchBackend,
    SearchBackend,
    alias_swap_actions,
    build_search,
    build_suggest,
    clean_highlight,
    new_index_name,
    results_from_response,
    text_query,
)
from search.es_mapping import bulk_action, demand_bulk_action, demand_index_body, index_body
from tests.factories import make_application_number

CHARS = {"chars": {"type": "text", "analyzer": "standard"}}
ENGLISH = {"english": {"type": "text", "analyzer": "english"}, **CHARS}
TEXT_FIELDS = ["title^4", "names^2", "summary", "body"]
# The seller's English version (title_en, summary_en) is searched beside the English sub-fields, as strongly.
ENGLISH_FIELDS = ["title.english^4", "title_en^4", "summary.english", "summary_en", "body.english"]
CHAR_FIELDS = ["title.chars", "summary.chars", "body.chars", "names.chars"]
NEWEST = [{"published_at": {"order": "desc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}]
HIGHLIGHT = {
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "encoder": "html",
    "fields": {
        "title": {"number_of_fragments": 0},
        "title.english": {"number_of_fragments": 0},
        "summary": {"fragment_size": 160, "number_of_fragments": 1},
        "summary.english": {"fragment_size": 160, "number_of_fragments": 1},
    },
}


def words(word: str, *, type_: str = "phrase", **options) -> dict:
    """What one word of text must match: the analysed text fields, or the English ones, or, for a Chinese word,
    its characters as a phrase at a constant score far below theirs (the fallback)."""
    common = {"query": word, "tie_breaker": 0.3, "zero_terms_query": "all"}
    queries = [
        {"multi_match": {**common, "type": type_, **options, "fields": TEXT_FIELDS}},
        {"multi_match": {**common, "type": "phrase", "fields": ENGLISH_FIELDS}},
    ]
    if re.fullmatch("[\u4e00-\u9fff]+", word):
        characters = {"multi_match": {"query": word, "type": "phrase", "fields": CHAR_FIELDS}}
        queries.append({"constant_score": {"filter": characters, "boost": 0.0001}})
    return {"dis_max": {"queries": queries, "tie_breaker": 0.3}}


def term(field: str, value: str) -> dict:
    return {"term": {field: {"value": value, "boost": 2.0}}}


def prefix(field: str, value: str) -> dict:
    return {"prefix": {field: {"value": value, "boost": 2.0}}}


# --- The mapping --------------------------------------------------------------------------------------------


def test_the_default_mapping_uses_the_built_in_cjk_analyzer_with_english_sub_fields():
    cjk = {"type": "text", "analyzer": "cjk"}
    assert index_body("cjk") == {
        "settings": {"number_of_shards": 1},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "listing_id": {"type": "long"},
                "title": {**cjk, "fields": ENGLISH},
                "summary": {**cjk, "fields": ENGLISH},
                "body": {**cjk, "fields": ENGLISH},
                "names": {**cjk, "fields": CHARS},
                "title_en": {"type": "text", "analyzer": "english"},
                "summary_en": {"type": "text", "analyzer": "english"},
                "application_numbers": {"type": "keyword"},
                "ipc": {"type": "keyword"},
                "mode": {"type": "keyword"},
                "patent_type": {"type": "keyword"},
                "ipc_section": {"type": "keyword"},
                "ipc_class": {"type": "keyword"},
                "city": {"type": "keyword"},
                "centre": {"type": "keyword"},
                "seller_kind": {"type": "keyword"},
                "price_band": {"type": "keyword"},
                "legal_status": {"type": "keyword"},
                "published_at": {"type": "date"},
                "price_fen": {"type": "long"},
            },
        },
    }


@pytest.mark.parametrize(
    ("setting", "analysed"),
    [
        ("smartcn", {"type": "text", "analyzer": "smartcn"}),
        ("ik_max_word", {"type": "text", "analyzer": "ik_max_word", "search_analyzer": "ik_smart"}),
    ],
)
def test_a_plugin_analyzer_setting_changes_only_the_text_fields(setting, analysed):
    properties = index_body(setting)["mappings"]["properties"]
    assert properties["title"] == properties["summary"] == properties["body"] == {**analysed, "fields": ENGLISH}
    assert properties["names"] == {**analysed, "fields": CHARS}
    unchanged = index_body("cjk")["mappings"]["properties"]
    assert {name: properties[name] for name in properties if name not in {"title", "summary", "body", "names"}} == {
        name: unchanged[name] for name in unchanged if name not in {"title", "summary", "body", "names"}
    }


def test_index_settings_from_the_backend_options_are_merged_in():
    assert index_body("cjk", {"number_of_replicas": 2})["settings"] == {"number_of_shards": 1, "number_of_replicas": 2}


def test_an_unknown_analyzer_is_refused_with_the_choices():
    with pytest.raises(ImproperlyConfigured, match="'jieba'.*cjk, smartcn, ik_max_word"):
        index_body("jieba")
    with pytest.raises(ImproperlyConfigured, match="'jieba'"):
        ElasticsearchSearchBackend(alias="default", URLS=["http://127.0.0.1:9200"], ANALYZER="jieba")


def test_the_backend_needs_an_address():
    with pytest.raises(ImproperlyConfigured, match="URLS"):
        ElasticsearchSearchBackend(alias="default", URLS=[""])


def test_a_listing_becomes_a_bulk_action_with_every_ipc_level_and_number_form():
    number = make_application_number(42)
    digits, check = number.split(".")
    document = ListingDocument(
        id=7,
        title="石墨烯导热膜",
        summary="为手机散热",
        body_texts=("导热膜", "一种石墨烯导热膜的制备方法"),
        application_numbers=(number,),
        application_number_digits=(digits,),
        ipc_codes=("C01B 32/184",),
        ipc_prefixes=("C", "C01", "C01B", "C01B 32/"),
        applicant_names=("宁波大学",),
        inventor_names=("王芳",),
        seller_name="宁波大学",
        facets={"mode": ("transfer",), "centre": ("3", "1"), "price_band": ("over_10m",)},
        published_at=datetime(2026, 11, 1, tzinfo=UTC),
        price_fen=None,
        title_en="Graphene heat-spreading film",
    )
    assert bulk_action(document, "ipmarket-listings") == {
        "_index": "ipmarket-listings",
        "_id": "7",
        "_source": {
            "listing_id": 7,
            "title": "石墨烯导热膜",
            "summary": "为手机散热",
            "title_en": "Graphene heat-spreading film",
            "body": ["导热膜", "一种石墨烯导热膜的制备方法"],
            "names": ["宁波大学", "王芳", "宁波大学"],
            "application_numbers": [f"{digits}{check}".lower(), digits],
            "ipc": ["ipcc", "ipcc01", "ipcc01b", "ipcc01b32g", "ipcc01b32g184"],
            "mode": ["transfer"],
            "centre": ["3", "1"],
            "price_band": ["over_10m"],
            "published_at": datetime(2026, 11, 1, tzinfo=UTC),
        },
    }


# --- Query bodies -------------------------------------------------------------------------------------------


def test_a_text_query_searches_each_word_as_a_phrase_and_ranks_by_score():
    assert build_search(SearchQuery(text="石墨烯 散热")) == {
        "query": {"bool": {"must": [words("石墨烯"), words("散热")]}},
        "highlight": HIGHLIGHT,
        "sort": ["_score", {"listing_id": {"order": "desc"}}],
        "track_scores": True,
        "track_total_hits": True,
        "_source": ["title", "summary"],
        "from": 0,
        "size": 20,
    }


def test_a_word_segmenting_analyzer_matches_all_tokens_of_a_word_instead_of_a_phrase():
    query = text_query("锂电池", "ik_max_word")
    assert query == {"bool": {"must": [words("锂电池", type_="best_fields", operator="and")]}}


@pytest.mark.parametrize("analyzer", ["cjk", "smartcn", "ik_max_word"])
def test_a_chinese_word_or_character_falls_back_to_its_characters_below_the_words(analyzer):
    """污水处理 cut into 污水 / 处理厂 by a segmenter, and 锂 inside 锂电池 (cjk indexes bigrams only), are found on the
    `chars` sub-fields, as a phrase of characters, at a constant score below any match of the words."""
    for word in ("污水处理", "锂"):
        [clause] = text_query(word, analyzer)["bool"]["must"]
        fallback = clause["dis_max"]["queries"][-1]
        assert fallback == {
            "constant_score": {
                "filter": {"multi_match": {"query": word, "type": "phrase", "fields": CHAR_FIELDS}},
                "boost": 0.0001,
            }
        }
    [clause] = text_query("battery", analyzer)["bool"]["must"]
    assert all("constant_score" not in query for query in clause["dis_max"]["queries"])


def test_text_with_filters_and_facets_counts_each_facet_without_its_own_filter():
    query = SearchQuery(
        text="锂电池",
        filters={"mode": ["licence", "transfer"], "city": ["ningbo"], "legal_status": []},
        facets=("mode", "ipc_section"),
        page=3,
        page_size=10,
    )
    mode = {"terms": {"mode": ["licence", "transfer"]}}
    city = {"terms": {"city": ["ningbo"]}}
    assert build_search(query) == {
        "query": {"bool": {"must": [words("锂电池")]}},
        # Filters narrow the hits only after the aggregations have run...
        "post_filter": {"bool": {"must": [mode, city]}},
        # ...and each facet is counted under the other facets' filters.
        "aggs": {
            "_filter_mode": {
                "filter": city,
                "aggs": {"mode": {"terms": {"field": "mode", "size": 200}}},
            },
            "_filter_ipc_section": {
                "filter": {"bool": {"must": [mode, city]}},
                "aggs": {"ipc_section": {"terms": {"field": "ipc_section", "size": 200}}},
            },
        },
        "highlight": HIGHLIGHT,
        "sort": ["_score", {"listing_id": {"order": "desc"}}],
        "track_scores": True,
        "track_total_hits": True,
        "_source": ["title", "summary"],
        "from": 20,
        "size": 10,
    }


def test_the_ipc_classes_of_a_chosen_section_are_filtered_and_counted_like_any_facet():
    query = SearchQuery(filters={"ipc_section": ["H"], "ipc_class": ["H01"]}, facets=("ipc_class",), sort="newest")
    section = {"terms": {"ipc_section": ["H"]}}
    ipc_class = {"terms": {"ipc_class": ["H01"]}}
    body = build_search(query)
    assert body["post_filter"] == {"bool": {"must": [section, ipc_class]}}
    assert body["aggs"] == {
        "_filter_ipc_class": {
            "filter": section,
            "aggs": {"ipc_class": {"terms": {"field": "ipc_class", "size": 200}}},
        }
    }


def test_without_text_every_listing_matches_newest_first_and_nothing_is_highlighted():
    assert build_search(SearchQuery(facets=("city",))) == {
        "aggs": {
            "_filter_city": {"filter": {"match_all": {}}, "aggs": {"city": {"terms": {"field": "city", "size": 200}}}}
        },
        "sort": NEWEST,
        "track_total_hits": True,
        "_source": ["title", "summary"],
        "from": 0,
        "size": 20,
    }
    assert text_query("  & ") is None


def test_an_application_number_is_matched_exactly_in_any_writing():
    number = make_application_number(42)
    digits, check = number.split(".")
    exact = {"bool": {"must": [term("application_numbers", f"{digits}{check}".lower())]}}
    for written in [number, f"CN{number}", f"ZL {digits[:4]} {digits[4]} {digits[5:]}.{check}", f"{digits}{check}"]:
        assert text_query(written) == exact, written
    full_width = "ＣＮ" + number.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert text_query(full_width) == exact


def test_the_start_of_an_application_number_is_matched_as_a_prefix_or_as_text():
    assert text_query("2019100") == {
        "bool": {
            "must": [
                {
                    "bool": {
                        "should": [prefix("application_numbers", "2019100"), words("2019100")],
                        "minimum_should_match": 1,
                    }
                }
            ]
        }
    }


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("H01M 4/525", prefix("ipc", "ipch01m4g525")),
        ("h01m4/52", prefix("ipc", "ipch01m4g52")),
        ("H01M 4/", term("ipc", "ipch01m4g")),
        ("H01M 10/", term("ipc", "ipch01m10g")),
    ],
)
def test_an_ipc_code_with_a_group_is_matched_on_the_ipc_levels(text, clause):
    assert text_query(text) == {"bool": {"must": [clause]}}


def test_a_short_ipc_code_is_matched_as_a_level_or_as_text():
    assert text_query("H01M 锂电池") == {
        "bool": {
            "must": [
                {"bool": {"should": [term("ipc", "ipch01m"), words("H01M")], "minimum_should_match": 1}},
                words("锂电池"),
            ]
        }
    }


@pytest.mark.parametrize(
    ("sort", "text", "expected"),
    [
        ("relevance", "电池", ["_score", {"listing_id": {"order": "desc"}}]),
        ("relevance", "", NEWEST),
        ("newest", "电池", NEWEST),
        ("price_asc", "", [{"price_fen": {"order": "asc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}]),
        ("price_desc", "", [{"price_fen": {"order": "desc", "missing": "_last"}}, {"listing_id": {"order": "desc"}}]),
    ],
)
def test_each_sort_ends_on_the_listing_id_so_pages_never_overlap(sort, text, expected):
    body = build_search(SearchQuery(text=text, sort=sort))
    assert body["sort"] == expected
    # Scores are only worth computing when they order the results.
    assert body.get("track_scores", False) is (sort == "relevance" and bool(text))


def test_a_page_beyond_the_result_window_asks_only_for_the_total_and_counts():
    body = build_search(SearchQuery(page=101, page_size=100))
    assert (body["from"], body["size"]) == (0, 0)


def test_suggestions_complete_the_last_word_of_titles():
    assert build_suggest("锂电", 5) == {
        "query": {"match_phrase_prefix": {"title": {"query": "锂电"}}},
        "_source": ["title"],
        "sort": ["_score", {"listing_id": {"order": "desc"}}],
        "size": 15,
    }
    assert build_suggest("  ", 5) is None


# --- Responses ----------------------------------------------------------------------------------------------


def test_highlights_are_escaped_like_the_database_backend_and_touching_marks_join():
    fragment = "&lt;b&gt;基于<mark>深度</mark><mark>学习</mark>&lt;&#x2F;b&gt;的<mark>图像识别</mark>方法 &amp; 装置"
    assert (
        clean_highlight(fragment)
        == "&lt;b&gt;基于<mark>深度学习</mark>&lt;/b&gt;的<mark>图像识别</mark>方法 &amp; 装置"
    )
    # A user's own <mark> arrives escaped and stays text.
    assert clean_highlight("&lt;mark&gt;x") == "&lt;mark&gt;x"


def test_a_response_becomes_search_results():
    query = SearchQuery(text="batteries", facets=("mode",))
    response = {
        "hits": {
            "total": {"value": 2, "relation": "eq"},
            "hits": [
                {
                    "_id": "4",
                    "_score": 3.5,
                    "_source": {"title": "Lithium batteries", "summary": "Recovers cobalt & nickel."},
                    "highlight": {"title.english": ["Lithium <mark>batteries</mark>"]},
                },
                {"_id": "9", "_score": 1.0, "_source": {"title": "A <b> title", "summary": "x" * 200}},
            ],
        },
        "aggregations": {
            "_filter_mode": {"doc_count": 2, "mode": {"buckets": [{"key": "equity", "doc_count": 2}]}},
        },
    }
    results = results_from_response(response, query, scored=True)
    assert results.total == 2 and results.ids == [4, 9]
    assert results.facet_counts == {"mode": {"equity": 2}}
    first, second = results.hits
    assert (first.score, first.title_html, first.summary_html) == (
        3.5,
        "Lithium <mark>batteries</mark>",
        "Recovers cobalt &amp; nickel.",
    )
    assert second.title_html == "A &lt;b&gt; title"
    assert second.summary_html == "x" * 160 + "…"
    assert [hit.score for hit in results_from_response(response, query, scored=False).hits] == [None, None]


def test_a_summary_fragment_cut_from_a_longer_summary_shows_ellipses():
    summary = "开头。" + "中间的图像识别方法。" + "结尾" * 100
    response = {
        "hits": {
            "total": {"value": 1},
            "hits": [
                {
                    "_id": "1",
                    "_source": {"title": "t", "summary": summary},
                    "highlight": {"summary": ["中间的<mark>图像识别</mark>方法。"]},
                }
            ],
        }
    }
    [hit] = results_from_response(response, SearchQuery(text="图像识别"), scored=True).hits
    assert hit.summary_html == "…中间的<mark>图像识别</mark>方法。…"


# --- The alias and the indexes ------------------------------------------------------------------------------


def test_new_indexes_are_named_after_the_alias_and_the_time():
    now = datetime(2026, 11, 25, 8, 30, 5, 123456, tzinfo=UTC)
    assert new_index_name("ipmarket-listings", now) == "ipmarket-listings-20261125083005123456"


def test_the_alias_moves_in_one_request_from_the_old_indexes_to_the_new_one():
    assert alias_swap_actions("listings", "listings-2", ["listings-1b", "listings-1a"]) == [
        {"remove": {"index": "listings-1a", "alias": "listings"}},
        {"remove": {"index": "listings-1b", "alias": "listings"}},
        {"add": {"index": "listings-2", "alias": "listings"}},
    ]
    assert alias_swap_actions("listings", "listings-1", []) == [{"add": {"index": "listings-1", "alias": "listings"}}]
    # A plain index squatting on the alias's name is removed in the same atomic request.
    assert alias_swap_actions("listings", "listings-1", [], alias_is_index=True) == [
        {"remove_index": {"index": "listings"}},
        {"add": {"index": "listings-1", "alias": "listings"}},
    ]


class FakeCluster:
    """Just enough of Elasticsearch's REST API, behind the real client, to follow the index and alias moves."""

    def __init__(self):
        self.indices: dict[str, set[str]] = {}  # index -> its aliases
        self.requests: list[tuple[str, str, object]] = []
        self.documents: dict[str, list[dict]] = {}  # index -> bulk sources written to it
        self.searches: list[tuple[str, dict]] = []
        self.search_response = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
        self.health = "green"
        self.analyzers = {"cjk", "english"}

    def _meta(self, status: int) -> ApiResponseMeta:
        return ApiResponseMeta(status, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "localhost", 9200))

    def _respond(self, body):
        return ObjectApiResponse(body=body, meta=self._meta(200))

    def _exists(self, found: bool):
        return HeadApiResponse(meta=self._meta(200 if found else 404))

    def _holders(self, alias: str) -> list[str]:
        return [index for index, aliases in self.indices.items() if alias in aliases]

    def _resolve(self, name: str) -> str:
        [index] = self._holders(name) or [name]
        return index

    def perform_request(self, client, method, path, *, params=None, headers=None, body=None, **_):
        self.requests.append((method, path, body))
        parts = path.strip("/").split("/")
        if method == "HEAD" and parts[0] == "_alias":
            return self._exists(bool(self._holders(parts[1])))
        if method == "HEAD":
            return self._exists(parts[0] in self.indices or bool(self._holders(parts[0])))
        if method == "GET" and parts[0] == "_alias":
            return self._respond({index: {"aliases": {parts[1]: {}}} for index in self._holders(parts[1])})
        if path == "/_bulk":
            items = []
            lines = [json.loads(line) for line in body]  # the bulk helper sends serialised lines
            for operation, source in zip(lines[::2], lines[1::2], strict=True):
                self.documents.setdefault(self._resolve(operation["index"]["_index"]), []).append(source)
                items.append({"index": {"status": 201, "_id": operation["index"]["_id"]}})
            return self._respond({"errors": False, "items": items})
        if method == "PUT" and len(parts) == 1:
            self.indices[parts[0]] = set(body.get("aliases", {}))
            return self._respond({"acknowledged": True})
        if path == "/_aliases":
            for action in body["actions"]:
                (kind, target) = next(iter(action.items()))
                if kind == "add":
                    self.indices[target["index"]].add(target["alias"])
                elif kind == "remove":
                    self.indices[target["index"]].discard(target["alias"])
                else:
                    del self.indices[target["index"]]
            return self._respond({"acknowledged": True})
        if method == "DELETE" and len(parts) == 1:
            self.indices.pop(parts[0], None)
            return self._respond({"acknowledged": True})
        if parts[-1] == "_search":
            self.searches.append((parts[0], body))
            return self._respond(self.search_response)
        if method == "DELETE" and parts[1:2] == ["_doc"]:
            sources = self.documents.get(self._resolve(parts[0]), [])
            sources[:] = [
                source for source in sources if str(source.get("listing_id", source.get("demand_id"))) != parts[2]
            ]
            return self._respond({"result": "deleted"})
        if path == "/":
            return self._respond({"version": {"number": "9.1.0"}})
        if path == "/_cluster/health":
            return self._respond({"status": self.health})
        if path == "/_analyze":
            if body["analyzer"] not in self.analyzers:
                raise BadRequestError(f"failed to find analyzer [{body['analyzer']}]", self._meta(400), {})
            return self._respond({"tokens": []})
        if parts[-1] in {"_settings", "_refresh"}:
            return self._respond({"acknowledged": True})
        if parts[-1] == "_count":
            return self._respond({"count": len(self.documents.get(self._resolve(parts[0]), []))})
        raise AssertionError(f"unexpected request {method} {path}")

    def names(self, method: str, suffix: str = "") -> list[str]:
        return [path for request_method, path, _ in self.requests if request_method == method and path.endswith(suffix)]


@pytest.fixture
def cluster(monkeypatch):
    cluster = FakeCluster()

    def perform_request(client, method, path, **kwargs):
        return cluster.perform_request(client, method, path, **kwargs)

    monkeypatch.setattr(Elasticsearch, "perform_request", perform_request)
    return cluster


@pytest.fixture
def es_backend(settings, cluster):
    settings.SEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends.elasticsearch", "URLS": ["http://127.0.0.1:9"], "INDEX": "listings"}
    }
    reset_search_backends()
    yield get_search_backend()
    reset_search_backends()


def make_document(listing_id: int) -> ListingDocument:
    return ListingDocument(
        id=listing_id,
        title=f"锂电池 {listing_id}",
        summary="",
        body_texts=(),
        application_numbers=(),
        application_number_digits=(),
        ipc_codes=(),
        ipc_prefixes=(),
        applicant_names=(),
        inventor_names=(),
        seller_name="宁波大学",
    )


def test_loading_and_building_the_backend_makes_no_request(es_backend, cluster):
    assert isinstance(es_backend, SearchBackend) and es_backend.analyzer == "cjk"
    build_search(SearchQuery(text="锂电池", facets=("mode",)))
    assert cluster.requests == []


def test_the_first_write_creates_an_index_behind_the_alias(es_backend, cluster):
    es_backend.add_bulk([make_document(1), make_document(1), make_document(2)])
    [index] = cluster.indices
    assert index.startswith("listings-") and cluster.indices[index] == {"listings"}
    assert [source["listing_id"] for source in cluster.documents[index]] == [1, 2]  # the latest of each, once
    assert es_backend.document_count() == 2


def test_reset_index_swaps_in_an_empty_index_and_deletes_the_old_one(es_backend, cluster):
    es_backend.reset_index()
    old = dict(cluster.indices)
    # The listings' index and the demands' index beside it, each behind its alias.
    assert sorted(alias for aliases in old.values() for alias in aliases) == ["listings", "listings-demands"]
    es_backend.reset_index()
    assert set(cluster.indices).isdisjoint(old)
    aliases = sorted(alias for index_aliases in cluster.indices.values() for alias in index_aliases)
    assert aliases == ["listings", "listings-demands"]
    assert sorted(cluster.names("DELETE")) == sorted(f"/{index}" for index in old)


def test_a_rebuild_fills_a_new_index_while_the_alias_still_points_at_the_old_one(es_backend, cluster):
    es_backend.add_bulk([make_document(1)])
    [old] = cluster.indices
    seen_during_load = []

    def batches():
        for batch in ([make_document(1), make_document(2)], [make_document(3)]):
            seen_during_load.append({index: set(aliases) for index, aliases in cluster.indices.items()})
            yield batch

    assert es_backend.rebuild(batches()) == 3

    [new] = cluster.indices
    assert cluster.indices[new] == {"listings"}
    assert all(state[old] == {"listings"} and state[new] == set() for state in seen_during_load)
    assert [source["listing_id"] for source in cluster.documents[new]] == [1, 2, 3]
    # Loaded without refreshes, then the refresh interval restored and the index refreshed before the switch.
    create = next(body for method, path, body in cluster.requests if method == "PUT" and path == f"/{new}")
    assert create["settings"]["refresh_interval"] == "-1"
    [restore] = [body for method, path, body in cluster.requests if path == f"/{new}/_settings"]
    assert restore == {"index": {"refresh_interval": None}}
    [swap] = [body for _, path, body in cluster.requests if path == "/_aliases"][-1:]
    assert swap == {
        "actions": [{"remove": {"index": old, "alias": "listings"}}, {"add": {"index": new, "alias": "listings"}}]
    }
    assert cluster.names("DELETE")[-1] == f"/{old}"


def test_a_failed_rebuild_leaves_the_live_index_alone(es_backend, cluster):
    es_backend.add_bulk([make_document(1)])
    [old] = cluster.indices

    def batches():
        yield [make_document(2)]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        es_backend.rebuild(batches())
    assert cluster.indices == {old: {"listings"}}


def test_a_search_sends_the_faceted_body_to_the_alias_and_reads_the_answer(es_backend, cluster):
    es_backend.reset_index()
    cluster.search_response = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [{"_id": "5", "_score": 2.0, "_source": {"title": "锂电池", "summary": ""}}],
        },
        "aggregations": {"_filter_mode": {"doc_count": 1, "mode": {"buckets": [{"key": "licence", "doc_count": 1}]}}},
    }
    query = SearchQuery(text="锂电池", filters={"mode": ["licence"]}, facets=("mode",))
    results = es_backend.search(query)
    assert cluster.searches == [("listings", build_search(query))]
    assert (results.ids, results.facet_counts, results.hits[0].score) == ([5], {"mode": {"licence": 1}}, 2.0)


def test_suggestions_keep_each_title_once(es_backend, cluster):
    es_backend.reset_index()
    titles = ["石墨烯导热膜", "石墨烯导热膜", "天然石墨提纯工艺"]
    cluster.search_response = {
        "hits": {
            "total": {"value": 3},
            "hits": [{"_id": str(n), "_source": {"title": t}} for n, t in enumerate(titles)],
        }
    }
    assert es_backend.suggest("石墨") == ["石墨烯导热膜", "天然石墨提纯工艺"]
    assert es_backend.suggest("石墨", limit=1) == ["石墨烯导热膜"]
    assert cluster.searches[0] == ("listings", build_suggest("石墨", 10))
    searches = len(cluster.searches)
    assert es_backend.suggest(" ") == [] and len(cluster.searches) == searches


def test_deleting_a_listing_removes_it_and_deleting_again_is_fine(es_backend, cluster):
    es_backend.add_bulk([make_document(1), make_document(2)])
    es_backend.delete(1)
    es_backend.delete(1)
    assert es_backend.document_count() == 1


def test_health_reports_the_cluster_and_a_missing_analyzer_plugin(settings, es_backend, cluster):
    health = es_backend.healthcheck()
    assert health.ok and health.detail == "elasticsearch 9.1.0 (cluster green, alias listings, analyzer cjk)"
    cluster.health = "red"
    assert not es_backend.healthcheck().ok

    settings.SEARCH_BACKENDS["default"]["ANALYZER"] = "ik_max_word"
    reset_search_backends()
    cluster.health = "yellow"
    health = get_search_backend().healthcheck()
    assert not health.ok and "ik_max_word missing" in health.detail


def test_health_is_down_when_the_cluster_cannot_be_reached(es_backend, cluster, monkeypatch):
    def unreachable(client, method, path, **kwargs):
        raise TransportConnectionError("Connection refused")

    monkeypatch.setattr(Elasticsearch, "perform_request", unreachable)
    health = es_backend.healthcheck()
    assert not health.ok and "Connection refused" in health.detail


# --- Technology demands: their own index beside the listings', searched with the same text query ---------------


def make_demand(demand_id: int, **changes) -> DemandDocument:
    fields = {
        "id": demand_id,
        "title": "寻求锂电池热失控预警技术",
        "summary": "希望在起火前30秒预警。",
        "title_en": "Early warning of thermal runaway",
        "ipc_codes": ("H01M 10/",),
        "organisation_name": "杭州数衡智能科技有限公司",
        "facets": {"field": ("H",), "city": ("hangzhou",), "deal_kind": ("licence", "joint_development")},
        "published_at": datetime(2026, 3, 1, tzinfo=UTC),
    }
    return DemandDocument(**{**fields, **changes})


def test_the_demand_mapping_uses_the_listing_text_fields_and_analysers_and_its_own_facets():
    properties = demand_index_body("cjk")["mappings"]["properties"]
    listing_properties = index_body("cjk")["mappings"]["properties"]
    for field in ("title", "summary", "body", "names", "title_en", "summary_en", "ipc"):
        assert properties[field] == listing_properties[field], field
    assert {name: properties[name]["type"] for name in ("field", "city", "deal_kind")} == dict.fromkeys(
        ("field", "city", "deal_kind"), "keyword"
    )
    assert properties["demand_id"] == {"type": "long"} and "listing_id" not in properties
    assert demand_index_body("ik_max_word")["mappings"]["properties"]["title"]["search_analyzer"] == "ik_smart"


def test_a_demand_becomes_a_bulk_action_with_every_level_of_the_ipc_parts_it_gave():
    action = demand_bulk_action(make_demand(7), "demands-1")
    assert action["_id"] == "7" and action["_index"] == "demands-1"
    source = action["_source"]
    assert source["ipc"] == ["ipch", "ipch01", "ipch01m", "ipch01m10g"]
    assert source["names"] == ["杭州数衡智能科技有限公司"] and source["title_en"] == "Early warning of thermal runaway"
    assert source["deal_kind"] == ["licence", "joint_development"] and "summary_en" not in source


def test_a_demand_search_uses_the_listing_text_query_with_demand_facets_and_sorts():
    query = SearchQuery(text="锂电池", kind="demands", filters={"city": ["hangzhou"]}, facets=("field", "city"))
    body = build_search(query)
    # The listings' query for the same words, exactly: the same fields, fallbacks and analysers.
    assert body["query"] == build_search(SearchQuery(text="锂电池"))["query"]
    assert body["sort"] == ["_score", {"demand_id": {"order": "desc"}}]
    assert set(body["aggs"]) == {"_filter_field", "_filter_city"}
    assert body["aggs"]["_filter_field"]["filter"] == {"terms": {"city": ["hangzhou"]}}
    assert body["post_filter"] == {"terms": {"city": ["hangzhou"]}}
    newest = build_search(SearchQuery(kind="demands"))
    assert newest["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}


def test_demands_are_written_to_and_searched_in_their_own_alias(es_backend, cluster):
    es_backend.add_demands([make_demand(1), make_demand(1), make_demand(2)])
    [index] = [name for name, aliases in cluster.indices.items() if aliases == {"listings-demands"}]
    assert [source["demand_id"] for source in cluster.documents[index]] == [1, 2]
    cluster.search_response = {
        "hits": {"total": {"value": 1}, "hits": [{"_id": "2", "_score": 1.5, "_source": {"title": "锂电池"}}]},
        "aggregations": {"_filter_city": {"city": {"buckets": [{"key": "hangzhou", "doc_count": 1}]}}},
    }
    query = SearchQuery(text="锂电池", kind="demands", facets=("city",))
    results = es_backend.search(query)
    assert cluster.searches[-1][0] == "listings-demands"
    assert (results.ids, results.facet_counts) == ([2], {"city": {"hangzhou": 1}})
    es_backend.delete_demand(1)
    es_backend.delete_demand(1)
    assert es_backend.demand_count() == 1
    # A rebuild fills a new index and moves the alias to it, deleting the old one.
    assert es_backend.rebuild_demands([make_demand(3)]) == 1
    [new] = [name for name, aliases in cluster.indices.items() if aliases == {"listings-demands"}]
    assert new != index and index not in cluster.indices
    assert [source["demand_id"] for source in cluster.documents[new]] == [3]
