"""The contract every search backend keeps for its second kind of document, technology demands, run against each
configured backend (the database backend always, on SQLite and on PostgreSQL when DATABASE_URL is set;
Elasticsearch when ELASTICSEARCH_URL is set). Like test_contract, the tests speak only the interface: demand
documents in, `SearchQuery(kind=DEMANDS)` in, `SearchResults` out; the last section follows real demands through
their services, the outbox and the task runner's drain."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from demands.documents import demand_document
from demands.models import DemandStatus
from demands.services import demand_set_status, demand_update, demands_expire
from search import get_search_backend, reset_search_backends
from search.backends.base import CITY, DEAL_KIND, DEMANDS, FIELD, DemandDocument, SearchQuery
from search.models import DocumentOutbox
from search.services import document_outbox_drain, index_rebuild
from tests.demands.conftest import draft_of, published_of
from tests.search.test_contract import BACKENDS

pytestmark = pytest.mark.django_db


@pytest.fixture(
    params=[
        "database",
        pytest.param(
            "elasticsearch",
            marks=pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL not set"),
        ),
    ]
)
def backend(request, settings):
    settings.SEARCH_BACKENDS = {"default": BACKENDS[request.param]}
    reset_search_backends()
    search_backend = get_search_backend()
    search_backend.reset_index()
    yield search_backend
    reset_search_backends()


DAY = datetime(2026, 3, 1, tzinfo=UTC)


def demand(pk: int, title: str, summary: str, *, days_ago: int = 0, **changes) -> DemandDocument:
    fields = {
        "id": pk,
        "title": title,
        "summary": summary,
        "organisation_name": "杭州数衡智能科技有限公司",
        "facets": {FIELD: ("H",), CITY: ("hangzhou",), DEAL_KIND: ("licence",)},
        "published_at": DAY - timedelta(days=days_ago),
    }
    return DemandDocument(**{**fields, **changes})


@pytest.fixture
def demands(backend):
    documents = [
        demand(
            1,
            "寻求锂电池热失控预警技术",
            "我司生产储能电池包，锂电池热失控时有发生，希望在起火前30秒预警。",
            ipc_codes=("H01M", "H01M 10/"),
            title_en="Early warning of thermal runaway in lithium batteries",
            summary_en="We build storage battery packs and need a warning 30 s before a fire.",
        ),
        demand(
            2,
            "污水处理厂污泥减量",
            "市政污水处理厂的污泥太多，处置费用高，需要污泥减量技术。",
            days_ago=1,
            facets={FIELD: ("C",), CITY: ("ningbo",), DEAL_KIND: ("transfer", "joint_development")},
        ),
        demand(
            3,
            "工业相机缺陷检测算法",
            "注塑件表面划痕人工目检漏检率高，需要基于图像的自动检测。",
            days_ago=2,
            facets={FIELD: ("G",), CITY: ("ningbo",), DEAL_KIND: ("licence", "equity")},
        ),
    ]
    backend.add_demands(documents)
    return documents


def found(backend, text: str = "", **options) -> list[int]:
    return backend.search(SearchQuery(text=text, page_size=100, kind=DEMANDS, **options)).ids


# --- Matching, as listings are matched ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["锂电池", "电池", "热失控", "锂电池热失控", "预警"])
def test_a_demand_is_found_by_its_chinese_words_and_the_parts_of_compound_words(backend, demands, text):
    assert found(backend, text) == [1]


def test_one_chinese_character_and_a_word_cut_otherwise_find_a_demand_through_the_fallback(backend, demands):
    assert 1 in found(backend, "锂")
    assert 2 in found(backend, "水处理")  # 污水处理厂 is segmented 污水 / 处理厂: the characters still find it


@pytest.mark.parametrize("text", ["battery", "batteries", "lithium battery", "warnings"])
def test_a_demand_is_found_by_the_words_of_its_english_version_in_any_form(backend, demands, text):
    assert found(backend, text) == [1]


def test_a_demand_is_found_by_the_ipc_class_it_gives_and_by_its_organisation(backend, demands):
    assert found(backend, "H01M") == [1]
    assert sorted(found(backend, "数衡智能")) == [1, 2, 3]


def test_every_word_must_match_and_a_title_match_ranks_first(backend, demands):
    assert found(backend, "污泥 锂电池") == []
    backend.add_demands([demand(4, "储能柜温控", "储能柜用锂电池发热，需要液冷温控方案。", days_ago=5)])
    assert found(backend, "锂电池")[0] == 1  # in the title of 1, in the text of 4
    assert set(found(backend, "锂电池")) == {1, 4}


def test_listing_searches_never_return_demands_and_demand_searches_never_return_listings(backend, demands):
    assert backend.search(SearchQuery(text="锂电池")).total == 0
    assert backend.search(SearchQuery()).total == 0


def test_hits_highlight_the_words_and_escape_the_text(backend, demands):
    backend.add_demands([demand(5, "<b>锂电池</b> & 回收", "回收废旧锂电池。")])
    hit = next(hit for hit in backend.search(SearchQuery(text="锂电池", kind=DEMANDS)).hits if hit.id == 5)
    assert hit.title_html == "&lt;b&gt;<mark>锂电池</mark>&lt;/b&gt; &amp; 回收"


# --- Facets, sorting and pages -------------------------------------------------------------------------------


def test_demand_facets_count_and_filter_ignoring_their_own_filter(backend, demands):
    results = backend.search(
        SearchQuery(kind=DEMANDS, filters={CITY: ["ningbo"]}, facets=(FIELD, CITY, DEAL_KIND), page_size=10)
    )
    assert sorted(results.ids) == [2, 3]
    assert results.facet_counts[CITY] == {"hangzhou": 1, "ningbo": 2}  # its own filter ignored
    assert results.facet_counts[FIELD] == {"C": 1, "G": 1}
    assert results.facet_counts[DEAL_KIND] == {"licence": 1, "equity": 1, "transfer": 1, "joint_development": 1}
    assert found(backend, filters={DEAL_KIND: ["licence"], FIELD: ["G", "H"]}) == [1, 3]
    assert found(backend, "污泥", filters={DEAL_KIND: ["licence"]}) == []


def test_without_words_the_newest_demand_comes_first_and_pages_cover_every_demand_once(backend, demands):
    backend.add_demands([demand(10 + n, f"需求{n}", "需要一种新的工艺。", days_ago=10 + n) for n in range(5)])
    assert found(backend) == [1, 2, 3, 10, 11, 12, 13, 14]
    pages = [backend.search(SearchQuery(kind=DEMANDS, page=page, page_size=3)) for page in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [3, 3, 2]
    assert {pk for page in pages for pk in page.ids} == {1, 2, 3, 10, 11, 12, 13, 14}
    assert pages[0].num_pages == 3 and pages[0].total == 8


def test_scores_come_with_words_sorted_by_relevance_only(backend, demands):
    assert all(hit.score for hit in backend.search(SearchQuery(text="锂电池", kind=DEMANDS)).hits)
    assert all(hit.score is None for hit in backend.search(SearchQuery(kind=DEMANDS)).hits)
    with pytest.raises(ValueError, match="sort"):
        SearchQuery(kind=DEMANDS, sort="price_asc")
    with pytest.raises(ValueError, match="facets"):
        SearchQuery(kind=DEMANDS, filters={"mode": ["licence"]})


def test_a_reindexed_demand_is_found_by_its_new_text_only_and_a_deleted_one_not_at_all(backend, demands):
    backend.add_demands([demand(1, "寻求钠离子电池技术", "我司希望用钠离子电池替代部分锂电池。")])
    assert found(backend, "热失控") == []
    assert found(backend, "钠离子") == [1]
    backend.delete_demand(1)
    backend.delete_demand(999)  # not in the index: nothing happens
    assert found(backend, "电池") == []
    assert backend.demand_count() == 2


def test_rebuilding_the_demands_replaces_them_all(backend, demands):
    assert backend.rebuild_demands([demand(7, "新材料", "需要新材料。")]) == 1
    assert found(backend) == [7]
    assert backend.demand_count() == 1


# --- Real demands: the index follows them through the outbox and the task runner ------------------------------


def drain_after_commit(callbacks) -> None:
    callbacks.clear()
    document_outbox_drain(seconds=5)


def test_the_index_follows_publishing_editing_pausing_closing_and_expiry(
    backend,
    world,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks():
        published = published_of(world, title="寻求锂电池热失控预警技术")
        draft_of(world, title="草稿锂电池需求")  # never public: never indexed
    assert DocumentOutbox.objects.filter(kind=DEMANDS, document_id=published.pk).exists()
    document_outbox_drain(seconds=5)
    assert found(backend, "锂电池") == [published.pk]
    assert not DocumentOutbox.objects.exists()

    demand_update(demand=published, actor=world.buyer, title="寻求钠离子电池技术")
    document_outbox_drain(seconds=5)
    assert found(backend, "锂电池") == [] and found(backend, "钠离子") == [published.pk]

    demand_set_status(demand=published, to_status=DemandStatus.PAUSED, actor=world.buyer)
    document_outbox_drain(seconds=5)
    assert found(backend, "钠离子") == []

    demand_set_status(demand=published, to_status=DemandStatus.PUBLISHED, actor=world.buyer)
    document_outbox_drain(seconds=5)
    assert found(backend, "钠离子") == [published.pk]

    demands_expire(today=published.deadline + timedelta(days=1))
    document_outbox_drain(seconds=5)
    assert found(backend, "钠离子") == []


def test_closing_a_demand_takes_it_out_and_the_rebuild_puts_back_only_published_ones(backend, world):
    solved = published_of(world, title="寻求污泥减量技术")
    kept = published_of(world, title="寻求锂电池回收技术", deadline=timezone.localdate() + timedelta(days=9))
    document_outbox_drain(seconds=5)
    demand_set_status(demand=solved, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="withdrawn")
    document_outbox_drain(seconds=5)
    assert found(backend) == [kept.pk]
    backend.reset_index()
    assert found(backend) == []
    index_rebuild()
    assert found(backend) == [kept.pk]
    assert backend.search(SearchQuery(text="回收", kind=DEMANDS)).ids == [kept.pk]
    assert demand_document(kept).facets[DEAL_KIND] == ("licence", "joint_development")
