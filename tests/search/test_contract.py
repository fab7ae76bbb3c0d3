"""The contract every search backend must keep, run against each configured backend.

The database backend runs always (on SQLite, and on PostgreSQL when DATABASE_URL is set); Elasticsearch runs
only when ELASTICSEARCH_URL is set. Tests speak only the interface: SearchQuery in, SearchResults out. The last
section, on upgrading the database backend's PostgreSQL index in place, is the one exception.
"""

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from psycopg_pool import PoolTimeout

from listings.models import Listing, ListingStatus, ListingTerms
from listings.services import listing_set_status, listing_update, listings_expire
from marketplace.organisations.models import OrganisationKind
from search import get_search_backend, reset_search_backends
from search.backends.base import FACETS, SearchQuery
from search.backends.database import HALVES, DatabaseSearchBackend
from search.documents import build_document, indexable_listings
from search.models import IndexOutbox
from search.services import index_outbox_drain
from tests.factories import ListingFactory, OrganisationFactory, make_application_number
from tests.search.factories import make_listing

pytestmark = pytest.mark.django_db

BACKENDS = {
    "database": {"BACKEND": "search.backends.database"},
    "elasticsearch": {
        "BACKEND": "search.backends.elasticsearch",
        "URLS": [os.environ.get("ELASTICSEARCH_URL", "")],
        "INDEX": "ipmarket-listings-contract-test",
    },
}


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


@dataclass
class Corpus:
    battery: Listing
    graphene: Listing
    graphite: Listing
    english: Listing
    vision: Listing
    battery_number: str


def publish(listing: Listing, days_ago: int) -> Listing:
    Listing.objects.filter(pk=listing.pk).update(
        status=ListingStatus.PUBLISHED, published_at=timezone.now() - timedelta(days=days_ago)
    )
    return listing


def index(backend, *listings: Listing) -> None:
    backend.add_bulk(
        [build_document(listing) for listing in indexable_listings().filter(pk__in=[x.pk for x in listings])]
    )


def publish_newest_first_and_index(backend, listings: list[Listing]) -> None:
    """The first published a day ago, the next two days ago, and so on; then all of them indexed."""
    for days_ago, listing in enumerate(listings, start=1):
        publish(listing, days_ago)
    index(backend, *listings)


@pytest.fixture
def corpus(world, backend) -> Corpus:
    world.university.city = "ningbo"
    world.university.save()
    battery_number = make_application_number(42)
    battery = make_listing(
        world.university,
        title="高能量密度锂电池正极材料技术",
        summary="这项技术让电动汽车电池充一次电跑得更远：能量密度从250Wh/kg提高到300Wh/kg。",
        number=battery_number,
        ipc=["H01M 4/525", "H01M 10/0525"],
        inventors=["张伟", "李娜"],
        amount=5_000_000,
    )
    graphene = make_listing(
        world.enterprise,  # registered with the alliance, below Ningbo
        title="石墨烯导热膜规模化制备技术",
        summary="用石墨烯制成的导热膜，为手机散热。",
        number=make_application_number(43),
        ipc=["C01B 32/184"],
        inventors=["王芳"],
        mode="transfer",
        amount=200_000_000,
    )
    graphite = make_listing(
        OrganisationFactory(name="湖州矿业有限公司", city="huzhou"),
        title="天然石墨提纯工艺",
        summary="将天然鳞片石墨提纯到99.9%。",
        number=make_application_number(44),
        ipc=["C01B 32/215"],
        inventors=["赵磊"],
        amount=30_000_000,
    )
    english = make_listing(
        world.other_enterprise,
        title="Lithium batteries recycling process",
        summary="Recovers cobalt and nickel from spent cells.",
        number=make_application_number(45, type_digit=2),
        ipc=["H01M 10/54"],
        inventors=["Zhang Wei"],
        mode="equity",
        amount=2_000_000_000,
        patent_type="utility_model",
    )
    vision = make_listing(
        OrganisationFactory(name="温州视觉研究院", kind=OrganisationKind.INSTITUTE, city="wenzhou"),
        title="<b>基于深度学习</b>的图像识别方法 & 装置",
        summary="一种用于工业质检的图像识别方法。",
        number=make_application_number(46),
        ipc=["G06F 18/24"],
        inventors=["陈静"],
        amount=80_000_000,
    )
    for days_ago, listing in enumerate([battery, graphene, graphite, english, vision]):
        publish(listing, days_ago)
    index(backend, battery, graphene, graphite, english, vision)
    return Corpus(battery, graphene, graphite, english, vision, battery_number)


def found(backend, text: str = "", **options) -> list[int]:
    return backend.search(SearchQuery(text=text, page_size=100, **options)).ids


# --- Matching -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["锂电池", "锂电", "电池", "正极材料", "锂电池正极材料", "高能量密度"])
def test_chinese_words_and_their_parts_find_the_listing(backend, corpus, text):
    assert corpus.battery.pk in found(backend, text)


def test_graphene_does_not_find_listings_about_plain_graphite(backend, corpus):
    assert found(backend, "石墨烯") == [corpus.graphene.pk]
    assert set(found(backend, "石墨")) == {corpus.graphene.pk, corpus.graphite.pk}


def test_a_title_match_ranks_above_a_match_inside_a_longer_word(backend, corpus):
    assert found(backend, "石墨")[0] == corpus.graphite.pk


@pytest.mark.parametrize("text", ["battery", "batteries", "Lithium", "recycled", "cobalt nickel"])
def test_english_words_are_found_in_any_form(backend, corpus, text):
    assert found(backend, text) == [corpus.english.pk]


@pytest.mark.parametrize("text", ["graphene", "Graphene films", "heat-spreading film", "cooling phones"])
def test_a_chinese_listing_is_found_by_the_words_of_its_english_version(backend, corpus, text):
    Listing.objects.filter(pk=corpus.graphene.pk).update(
        title_en="Scalable preparation of graphene heat-spreading film",
        summary_en="Heat-spreading films made of graphene, for cooling mobile phones.",
    )
    index(backend, corpus.graphene)
    assert found(backend, text) == [corpus.graphene.pk]
    assert found(backend, "石墨烯") == [corpus.graphene.pk]  # Chinese queries unchanged


def test_an_english_version_ranks_like_the_text_it_translates(backend, corpus):
    """A word in the English title counts as a title match: above the same word in another listing's summary."""
    Listing.objects.filter(pk=corpus.graphite.pk).update(title_en="Purification of natural graphite to 99.9% carbon")
    Listing.objects.filter(pk=corpus.graphene.pk).update(summary_en="Films made of graphene, purer than graphite.")
    index(backend, corpus.graphite, corpus.graphene)
    assert found(backend, "graphite") == [corpus.graphite.pk, corpus.graphene.pk]


def test_every_word_of_a_query_must_match(backend, corpus):
    assert found(backend, "锂电池 散热") == []
    assert found(backend, "石墨烯 散热") == [corpus.graphene.pk]


def test_an_application_number_finds_its_listing_in_any_writing(backend, corpus):
    digits, check = corpus.battery_number.split(".")
    writings = [
        corpus.battery_number,
        f"CN{corpus.battery_number}",
        f"ZL{digits}.{check}",
        f"ZL {digits[:4]} {digits[4]} {digits[5:]}.{check}",
        f"{digits}{check}",
        digits,
        "ＣＮ" + corpus.battery_number.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")),
    ]
    for written in writings:
        assert found(backend, written) == [corpus.battery.pk], written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H01M 4/525", {"battery"}),
        ("h01m4/525", {"battery"}),
        ("H01M 4/", {"battery"}),
        ("H01M 10/", {"battery", "english"}),
        ("H01M", {"battery", "english"}),
        ("H01", {"battery", "english"}),
        ("C01B 32/", {"graphene", "graphite"}),
        ("G06F", {"vision"}),
    ],
)
def test_ipc_codes_are_found_by_prefix(backend, corpus, text, expected):
    assert set(found(backend, text)) == {getattr(corpus, name).pk for name in expected}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("张伟", "battery"),
        ("王芳", "graphene"),
        ("Zhang Wei", "english"),
        ("宁波大学", "battery"),
        ("湖州矿业有限公司", "graphite"),
    ],
)
def test_applicants_and_inventors_are_searchable(backend, corpus, text, name):
    assert getattr(corpus, name).pk in found(backend, text)


# --- Filters, facets, sorting, pages ------------------------------------------------------------------------


def test_filter_values_of_one_facet_or_and_facets_and(backend, corpus):
    assert found(backend, filters={"mode": ["transfer"]}) == [corpus.graphene.pk]
    assert set(found(backend, filters={"mode": ["transfer", "equity"]})) == {corpus.graphene.pk, corpus.english.pk}
    assert found(backend, filters={"mode": ["licence"], "ipc_section": ["C"]}) == [corpus.graphite.pk]
    assert found(backend, "石墨", filters={"mode": ["licence"]}) == [corpus.graphite.pk]


def test_a_centre_filter_includes_listings_of_its_sub_centres(backend, corpus, world):
    assert set(found(backend, filters={"centre": [str(world.ningbo.pk)]})) == {corpus.battery.pk, corpus.graphene.pk}
    assert found(backend, filters={"centre": [str(world.ningbo_alliance.pk)]}) == [corpus.graphene.pk]


def test_facet_counts_narrow_with_other_facets_but_ignore_their_own(backend, corpus):
    results = backend.search(SearchQuery(filters={"mode": ["licence"]}, facets=("mode", "ipc_section", "patent_type")))
    assert results.total == 3
    # The mode counts ignore the mode filter, so a buyer sees what choosing another mode would give...
    assert results.facet_counts["mode"] == {"licence": 3, "transfer": 1, "equity": 1}
    # ...while the other facets count only licence listings.
    assert results.facet_counts["ipc_section"] == {"H": 1, "C": 1, "G": 1}
    assert results.facet_counts["patent_type"] == {"invention": 3}


def test_the_ipc_classes_of_a_listing_are_a_facet_to_filter_and_count_with_or_without_words(backend, corpus):
    # Each of a listing's IPC codes gives its class (H01M 4/525 and H01M 10/0525: H01, once).
    assert set(found(backend, filters={"ipc_class": ["H01"]})) == {corpus.battery.pk, corpus.english.pk}
    assert set(found(backend, filters={"ipc_class": ["C01", "G06"]})) == {
        corpus.graphene.pk,
        corpus.graphite.pk,
        corpus.vision.pk,
    }
    everything = backend.search(SearchQuery(facets=("ipc_class",)))
    assert everything.facet_counts["ipc_class"] == {"C01": 2, "H01": 2, "G06": 1}
    within_h = backend.search(SearchQuery(filters={"ipc_section": ["H"]}, facets=("ipc_class", "ipc_section")))
    assert within_h.total == 2 and within_h.facet_counts["ipc_class"] == {"H01": 2}
    assert within_h.facet_counts["ipc_section"] == {"C": 2, "H": 2, "G": 1}  # its own filter ignored
    worded = backend.search(SearchQuery(text="石墨", facets=("ipc_class",)))
    assert worded.facet_counts["ipc_class"] == {"C01": 2}


def test_counting_every_facet_without_words_gives_the_same_total_as_the_page(backend, corpus):
    query = SearchQuery(filters={"mode": ["licence"], "city": ["ningbo", "huzhou"]}, facets=FACETS, page_size=1)
    results = backend.search(query)
    assert results.total == 2 and len(results.hits) == 1
    assert results.facet_counts["city"] == {"huzhou": 1, "ningbo": 1, "wenzhou": 1}
    assert backend.search(SearchQuery(filters=query.filters, page=3, page_size=1, facets=FACETS)).hits == []


def test_facet_counts_follow_the_text_query(backend, corpus):
    results = backend.search(SearchQuery(text="H01M", facets=("patent_type", "price_band")))
    assert results.facet_counts["patent_type"] == {"invention": 1, "utility_model": 1}
    assert results.facet_counts["price_band"] == {"under_100k": 1, "over_10m": 1}


def test_text_facet_counts_follow_a_listing_given_new_facet_values(backend, corpus):
    assert backend.search(SearchQuery(text="石墨", facets=("mode",))).facet_counts["mode"] == {
        "licence": 1,
        "transfer": 1,
    }
    # The graphite listing moves to equity: a combination of facet values no listing had when the first search ran.
    ListingTerms.objects.filter(listing=corpus.graphite).update(
        mode="equity", licence_types=[], appraised_value_fen=30_000_000
    )
    index(backend, corpus.graphite)
    results = backend.search(SearchQuery(text="石墨", filters={"mode": ["equity"]}, facets=("mode", "city")))
    assert results.ids == [corpus.graphite.pk]
    assert results.facet_counts == {"mode": {"equity": 1, "transfer": 1}, "city": {"huzhou": 1}}


def test_facet_counts_stay_right_when_the_remembered_facet_sets_are_forgotten(backend, corpus, monkeypatch):
    """The database backend on PostgreSQL remembers the facet sets it has seen, up to a limit; past it, it starts
    again. With a limit of one set, the second search, which needs the set the first remembered and another,
    forgets both and reads them again."""
    monkeypatch.setattr("search.backends.database._FACET_KEYS_KEPT", 1)
    assert backend.search(SearchQuery(text="石墨烯", facets=("city",))).facet_counts == {"city": {"hangzhou": 1}}
    for _ in range(2):
        results = backend.search(SearchQuery(text="石墨", facets=("mode", "city")))
        assert results.facet_counts == {"mode": {"licence": 1, "transfer": 1}, "city": {"hangzhou": 1, "huzhou": 1}}


def test_sort_orders(backend, corpus):
    c = corpus
    assert found(backend, sort="newest") == [c.battery.pk, c.graphene.pk, c.graphite.pk, c.english.pk, c.vision.pk]
    prices = [c.battery.pk, c.graphite.pk, c.vision.pk, c.graphene.pk, c.english.pk]
    assert found(backend, sort="price_asc") == prices
    assert found(backend, sort="price_desc") == prices[::-1]
    assert found(backend, "H01M", sort="price_desc") == [c.english.pk, c.battery.pk]
    assert found(backend, "H01M", sort="price_asc") == [c.battery.pk, c.english.pk]
    # With words, a sort keeps the order it has without them, among the listings the words find.
    newest = found(backend, sort="newest")
    matched = set(found(backend, "H01M"))
    assert found(backend, "H01M", sort="newest") == [pk for pk in newest if pk in matched]


def test_sorted_text_searches_put_missing_prices_last_and_ties_newest_listing_first_page_after_page(backend, world):
    """Three listings at one price, two without a price, and two pairs published at the same moment."""
    prices = [3_000_000, None, 1_000_000, 3_000_000, None, 2_000_000, 3_000_000]
    moment = timezone.now() - timedelta(days=1)
    published = [moment - timedelta(days=days) for days in (2, 0, 3, 0, 1, 4, 2)]
    listings = [
        make_listing(
            world.university if n % 2 else world.enterprise,
            title=f"钙钛矿叠层电池{n}",
            summary="一种钙钛矿叠层电池。",
            number=make_application_number(90 + n),
            ipc=["H01L 31/078"],
            inventors=["孙丽"],
            amount=None,
        )
        for n in range(len(prices))
    ]
    for listing, price, published_at in zip(listings, prices, published, strict=True):
        Listing.objects.filter(pk=listing.pk).update(
            status=ListingStatus.PUBLISHED, published_at=published_at, asking_price_fen=price
        )
    index(backend, *listings)
    price_of = {listing.pk: price for listing, price in zip(listings, prices, strict=True)}
    when = {listing.pk: published_at for listing, published_at in zip(listings, published, strict=True)}

    def in_order(key) -> list[int]:
        return sorted(price_of, key=lambda pk: (key(pk), -pk))

    expected = {
        "price_asc": in_order(lambda pk: (price_of[pk] is None, price_of[pk] or 0)),
        "price_desc": in_order(lambda pk: (price_of[pk] is None, -(price_of[pk] or 0))),
        "newest": in_order(lambda pk: moment - when[pk]),
    }
    for sort, order in expected.items():
        assert found(backend, "钙钛矿", sort=sort) == order, sort
        pages = [backend.search(SearchQuery(text="钙钛矿", sort=sort, page=n, page_size=2)).ids for n in (1, 2, 3, 4)]
        assert [pk for page in pages for pk in page] == order, sort


def test_words_in_the_title_rank_first_and_pages_of_a_text_search_cover_every_result_once(backend, corpus, world):
    in_title = make_listing(
        world.university,
        title="储能电池热管理系统",
        summary="一种热管理系统。",
        number=make_application_number(47),
        ipc=["H01M 10/60"],
        inventors=["周敏"],
    )
    in_text_only = make_listing(
        world.enterprise,
        title="相变材料制备方法",
        summary="适用于储能电站。",
        number=make_application_number(48),
        ipc=["C09K 5/06"],
        inventors=["吴刚"],
        mode="transfer",
    )
    for days_ago, listing in enumerate([in_text_only, in_title], start=10):
        publish(listing, days_ago)
    index(backend, in_title, in_text_only)
    # "储能" is a word of the first title; the second listing mentions it only in its summary, though it is newer.
    assert found(backend, "储能") == [in_title.pk, in_text_only.pk]
    pages = [backend.search(SearchQuery(text="储能", page=page, page_size=1)) for page in (1, 2, 3)]
    assert [page.ids for page in pages] == [[in_title.pk], [in_text_only.pk], []]
    assert {page.total for page in pages} == {2}
    newest = [backend.search(SearchQuery(text="储能", sort="newest", page=page, page_size=1)).ids for page in (1, 2)]
    assert newest == [[in_text_only.pk], [in_title.pk]]
    # A filter applies to both, and the counts still ignore the filter's own facet.
    filtered = backend.search(SearchQuery(text="储能", filters={"mode": ["transfer"]}, facets=("mode",)))
    assert filtered.ids == [in_text_only.pk] and filtered.total == 1
    assert filtered.facet_counts["mode"] == {"licence": 1, "transfer": 1}


def test_pages_cover_every_result_once(backend, corpus):
    pages = [backend.search(SearchQuery(sort="newest", page=page, page_size=2)) for page in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [2, 2, 1]
    assert {page.total for page in pages} == {5} and pages[0].num_pages == 3
    assert sorted(i for page in pages for i in page.ids) == sorted(found(backend))


@pytest.mark.parametrize("ids_read_one_by_one", [0, 1_000], ids=["through-the-index", "by-id"])
def test_pages_of_matches_outside_titles_cover_every_result_once_whatever_their_facets(
    backend, world, monkeypatch, ids_read_one_by_one
):
    """Matches of a word no title has, with facet values shared or not: paged one at a time, each shows once. (On
    PostgreSQL the database backend reads such a page by id when few ids lie between its bounds: both ways.)"""
    monkeypatch.setattr("search.backends.database._IDS_READ_ONE_BY_ONE", ids_read_one_by_one)
    sellers = [world.university, world.enterprise, world.university, world.enterprise, world.university]
    modes = ["licence", "licence", "transfer", "licence", "licence"]
    listings = [
        make_listing(
            seller,
            title=f"相变材料{n}",
            summary="适用于储能电站。",
            number=make_application_number(60 + n),
            ipc=["C09K 5/06"],
            inventors=["吴刚"],
            mode=mode,
        )
        for n, (seller, mode) in enumerate(zip(sellers, modes, strict=True))
    ]
    publish_newest_first_and_index(backend, listings)

    pages = [backend.search(SearchQuery(text="储能", page=page, page_size=1)) for page in range(1, 7)]
    assert [len(page.ids) for page in pages] == [1, 1, 1, 1, 1, 0]
    assert sorted(i for page in pages for i in page.ids) == sorted(listing.pk for listing in listings)
    licences = [
        backend.search(SearchQuery(text="储能", filters={"mode": ["licence"]}, page=p, page_size=1))
        for p in (1, 2, 3, 4, 5)
    ]
    assert sorted(i for page in licences for i in page.ids) == sorted(
        listing.pk for listing, mode in zip(listings, modes, strict=True) if mode == "licence"
    )


# --- What a result shows ------------------------------------------------------------------------------------


def test_hits_highlight_matches_and_escape_user_text(backend, corpus):
    [hit] = backend.search(SearchQuery(text="深度学习 图像识别")).hits
    assert hit.title_html == "&lt;b&gt;基于<mark>深度学习</mark>&lt;/b&gt;的<mark>图像识别</mark>方法 &amp; 装置"
    assert "<mark>图像识别</mark>" in hit.summary_html
    [hit] = backend.search(SearchQuery(text="batteries")).hits
    assert hit.title_html == "Lithium <mark>batteries</mark> recycling process"


def test_relevance_scores_come_with_text_queries(backend, corpus):
    hits = backend.search(SearchQuery(text="石墨")).hits
    assert all(hit.score is not None for hit in hits)
    assert hits[0].score >= hits[1].score


def test_suggestions_complete_title_words(backend, corpus):
    assert backend.suggest("锂电") == [corpus.battery.title]
    assert set(backend.suggest("石墨")) == {corpus.graphene.title, corpus.graphite.title}
    assert backend.suggest("Lithi") == [corpus.english.title]
    assert backend.suggest("石墨", limit=1) in ([corpus.graphene.title], [corpus.graphite.title])
    assert backend.suggest("  ") == []


# --- Keeping the index current ------------------------------------------------------------------------------


def test_deleted_listings_disappear_and_come_back_when_indexed_again(backend, corpus):
    backend.delete(corpus.battery.pk)
    assert found(backend, "锂电池") == []
    backend.delete(corpus.battery.pk)  # deleting what is not there is fine
    index(backend, corpus.battery)
    index(backend, corpus.battery)  # indexing twice keeps one entry
    assert found(backend, "锂电池") == [corpus.battery.pk]
    assert backend.document_count() == 5


def test_a_reindexed_listing_is_found_by_its_new_text_only(backend, corpus):
    Listing.objects.filter(pk=corpus.battery.pk).update(title="固态电解质薄膜")
    index(backend, corpus.battery)
    assert found(backend, "固态电解质") == [corpus.battery.pk]
    # The old title's words are gone from the title (the patent's own title still has them).
    assert backend.suggest("高能量") == []
    assert backend.search(SearchQuery(text="固态电解质")).hits[0].title_html == "<mark>固态电解质</mark>薄膜"


def test_the_index_follows_publishing_editing_pausing_and_closing(backend, world, django_capture_on_commit_callbacks):
    listing = ListingFactory(seller=world.university, title="钙钛矿太阳能电池")

    def move(to_status, actor, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return listing_set_status(listing=listing, to_status=to_status, actor=actor, **kwargs)

    move(ListingStatus.SUBMITTED, world.seller)
    assert found(backend, "钙钛矿") == []  # submitted is not on the market
    move(ListingStatus.PUBLISHED, world.ningbo_broker)
    assert found(backend, "钙钛矿") == [listing.pk]

    with django_capture_on_commit_callbacks(execute=True):
        listing_update(listing=Listing.objects.get(pk=listing.pk), actor=world.seller, title="碳化硅功率器件")
    assert found(backend, "钙钛矿") == []
    assert found(backend, "碳化硅") == [listing.pk]

    move(ListingStatus.PAUSED, world.seller)
    assert found(backend, "碳化硅") == []
    move(ListingStatus.PUBLISHED, world.seller)
    assert found(backend, "碳化硅") == [listing.pk]
    move(ListingStatus.CLOSED, world.seller, close_reason="transferred")
    assert found(backend, "碳化硅") == []


def test_expired_listings_leave_the_index(backend, world, django_capture_on_commit_callbacks):
    listing = ListingFactory(seller=world.university, title="碳化硅衬底")
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_status(listing=listing, to_status=ListingStatus.SUBMITTED, actor=world.seller)
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    assert found(backend, "碳化硅") == [listing.pk]
    with django_capture_on_commit_callbacks(execute=True):
        listings_expire(today=timezone.localdate() + timedelta(days=365 * 30))
    assert found(backend, "碳化硅") == []


def test_nothing_reaches_the_index_when_the_change_is_rolled_back(backend, world, django_capture_on_commit_callbacks):
    listing = ListingFactory(seller=world.university, title="氮化镓芯片")
    listing_set_status(listing=listing, to_status=ListingStatus.SUBMITTED, actor=world.seller)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    assert callbacks  # the re-index waits for a commit that, in this test, never comes
    assert found(backend, "氮化镓") == []

    # A change that really rolls back leaves nothing in the index outbox, so no later drain indexes it.
    other = ListingFactory(seller=world.university, title="碳化硅衬底")
    listing_set_status(listing=other, to_status=ListingStatus.SUBMITTED, actor=world.seller)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        listing_set_status(listing=other, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
        raise RuntimeError("the publication fails after the listing was saved")
    assert not IndexOutbox.objects.filter(listing_id=other.pk).exists()
    index_outbox_drain()
    assert found(backend, "碳化硅") == []


# --- Upgrading the database backend's index in place (migrations 0005 and 0006) --------------------------------


def stored_vectors() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT listing_id, document::text, title_document::text FROM search_entry_keys ORDER BY 1")
        return cursor.fetchall()


GRAM_LEXEME = re.compile(r" ?'g[\u3400-\u9fff]{1,2}'(?=[ ]|$)")


def without_grams(vectors: list[tuple]) -> list[tuple]:
    """The vectors without the gram lexemes (migration 0010), which only a rebuild fills in: the entry keeps no
    copy of them on PostgreSQL."""
    return [(listing_id, GRAM_LEXEME.sub("", document).strip(), title) for listing_id, document, title in vectors]


def migrate_search_to(name: str) -> None:
    MigrationExecutor(connection).migrate([("search", name)])


def latest_search_migration() -> str:
    return next(name for app, name in MigrationExecutor(connection).loader.graph.leaf_nodes() if app == "search")


def stored_facet_sets() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k.listing_id, s.facet_keys FROM search_entry_keys k "
            "JOIN search_facet_set s ON s.id = k.facet_set_id ORDER BY 1"
        )
        return cursor.fetchall()


def spelled_out_facet_keys() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT listing_id, facet_keys FROM search_entry_keys ORDER BY 1")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the migration changes only PostgreSQL")
def test_upgrading_in_place_fills_the_vectors_as_indexing_does(backend, corpus):
    if not isinstance(backend, DatabaseSearchBackend):
        pytest.skip("the database backend's own tables")
    indexed = stored_vectors()
    answers = {text: found(backend, text) for text in ["石墨", "锂电 正极材料", "H01M", "张伟", "batteries"]}
    filtered = backend.search(SearchQuery(text="石墨", filters={"mode": ["licence"]}, facets=("mode",)))

    migrate_search_to("0004_searchentrykeys")
    migrate_search_to(latest_search_migration())

    assert stored_vectors() == without_grams(indexed)
    assert without_grams(indexed) != indexed
    assert {text: found(backend, text) for text in answers} == answers  # words the segmenter finds, no fallback
    again = backend.search(SearchQuery(text="石墨", filters={"mode": ["licence"]}, facets=("mode",)))
    assert (again.ids, again.facet_counts) == (filtered.ids, filtered.facet_counts)


@pytest.mark.django_db(transaction=True)
def test_upgrading_in_place_numbers_the_facet_sets_as_indexing_does(backend, corpus):
    if not isinstance(backend, DatabaseSearchBackend):
        pytest.skip("the database backend's own tables")
    indexed = stored_facet_sets()
    assert len({keys for _, keys in indexed}) > 1
    query = SearchQuery(text="石墨", filters={"mode": ["licence"]}, facets=("mode", "city", "ipc_section"))
    before = backend.search(query)

    migrate_search_to("0005_postgres_text_in_keys_row")
    assert spelled_out_facet_keys() == indexed  # undone, every row spells its keys out again
    migrate_search_to(latest_search_migration())

    assert stored_facet_sets() == indexed
    after = backend.search(query)
    assert (after.ids, after.total, after.facet_counts) == (before.ids, before.total, before.facet_counts)
    assert before.total > 0 and before.facet_counts["city"]


@pytest.mark.django_db(transaction=True)
def test_facet_counts_stay_right_when_an_upgrade_numbers_the_facet_sets_anew(backend, corpus):
    """Undoing and redoing migration 0006 numbers the sets from 1 again, in the order of their keys: after the
    graphite listing moves to new facet values, the same numbers name other sets than they did before."""
    if not isinstance(backend, DatabaseSearchBackend):
        pytest.skip("the database backend's own tables")
    query = SearchQuery(text="石墨", facets=("mode", "city"))
    migrate_search_to("0005_postgres_text_in_keys_row")
    migrate_search_to(latest_search_migration())
    assert backend.search(query).facet_counts == {
        "mode": {"licence": 1, "transfer": 1},
        "city": {"hangzhou": 1, "huzhou": 1},
    }
    assert found(backend, "batteries") == [corpus.english.pk]  # equity: the first set, until graphite joins it

    ListingTerms.objects.filter(listing=corpus.graphite).update(
        mode="equity", licence_types=[], appraised_value_fen=30_000_000
    )
    index(backend, corpus.graphite)
    migrate_search_to("0005_postgres_text_in_keys_row")
    migrate_search_to(latest_search_migration())

    assert backend.search(query).facet_counts == {
        "mode": {"equity": 1, "transfer": 1},
        "city": {"hangzhou": 1, "huzhou": 1},
    }


# --- Reading the halves of the PostgreSQL index at once (migration 0007) ----------------------------------------

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL's index has halves")


def index_with_matches_in_both_halves(backend, world) -> list[Listing]:
    """Twelve listings about 储能, of three sellers and modes, spread over both halves of the index."""
    sellers = [world.university, world.enterprise, world.other_enterprise]
    modes = ["licence", "transfer", "equity"]
    listings = [
        make_listing(
            sellers[n % 3],
            title=f"储能电池热管理系统{n}" if n % 2 else f"相变材料{n}",
            summary="适用于储能电站。",
            number=make_application_number(80 + n),
            ipc=["H01M 10/60"],
            inventors=["吴刚"],
            mode=modes[n % 3],
            amount=1_000_000 * (n + 1),
        )
        for n in range(12)
    ]
    publish_newest_first_and_index(backend, listings)
    with connection.cursor() as cursor:
        for half in HALVES:
            cursor.execute(f"SELECT count(*) FROM {half}")  # noqa: S608 - fixed names
            assert cursor.fetchone()[0] > 0, f"no listing in {half}: the test would not read both halves"
    return listings


QUERIES_OVER_BOTH_HALVES = [
    SearchQuery(text="储能", facets=("mode", "seller_kind", "city")),
    SearchQuery(text="储能", page=2, page_size=5, facets=("mode",)),
    SearchQuery(text="储能 电池", filters={"mode": ["licence", "equity"]}, facets=("mode", "city")),
    SearchQuery(text="储能", sort="price_desc", page_size=4),
    SearchQuery(text="储能", sort="newest", page=3, page_size=4),
    SearchQuery(text="热管理", filters={"seller_kind": ["university"]}),
]


def answers(backend) -> list[tuple]:
    results = [backend.search(query) for query in QUERIES_OVER_BOTH_HALVES]
    return [(r.ids, [hit.score for hit in r.hits], r.total, r.facet_counts) for r in results]


def statements_on_this_connection(statements: list[str]):
    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    return connection.execute_wrapper(record)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_search_reads_the_second_half_on_a_connection_of_its_own_and_answers_the_same(backend, world):
    if not isinstance(backend, DatabaseSearchBackend):
        pytest.skip("the database backend's own tables")
    index_with_matches_in_both_halves(backend, world)
    with transaction.atomic():  # other connections cannot see into a transaction: one half after the other
        one_after_another = answers(backend)

    # One idle connection for the second half, checked out and given back. Not pool.wait(): on a loaded machine the
    # pool may not fill within its 30 s, and then wait() closes it for the rest of the run.
    idle = connection.pool.getconn(timeout=30)
    connection.pool.putconn(idle)
    statements: list[str] = []
    with statements_on_this_connection(statements):
        at_once = answers(backend)

    assert at_once == one_after_another
    _, _, total, facet_counts = one_after_another[0]
    assert total == 12 and facet_counts["mode"] == {"licence": 4, "transfer": 4, "equity": 4}
    assert any(HALVES[0] in sql for sql in statements)
    assert not any(HALVES[1] in sql for sql in statements)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_search_reads_both_halves_itself_when_the_pool_has_no_idle_connection(backend, world):
    if not isinstance(backend, DatabaseSearchBackend):
        pytest.skip("the database backend's own tables")
    index_with_matches_in_both_halves(backend, world)
    with transaction.atomic():
        expected = answers(backend)
    connection.ensure_connection()
    pool = connection.pool
    sizes = pool.min_size, pool.max_size
    # Hold every idle connection, and let the pool open no new one meanwhile (the test settings give it room to
    # grow, which would take a hundred connections from the server here).
    pool.resize(min_size=min(sizes[0], pool.get_stats()["pool_size"]), max_size=pool.get_stats()["pool_size"])
    held = []
    try:
        with contextlib.suppress(PoolTimeout):
            while True:
                held.append(pool.getconn(timeout=0.5))
        statements: list[str] = []
        with statements_on_this_connection(statements):
            assert answers(backend) == expected
        assert any(HALVES[1] in sql for sql in statements)
    finally:
        for held_connection in held:
            pool.putconn(held_connection)
        pool.resize(*sizes)


def table_layout(table: str = "search_entry_keys") -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
        indexes = [name for (name,) in cursor.fetchall()]
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass ORDER BY 1", [table]
        )
        halves = [name for (name,) in cursor.fetchall()]
    return {"constraints": constraints, "indexes": indexes, "halves": halves}


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_splitting_the_index_in_halves_keeps_its_rows_constraints_and_indexes_and_can_be_undone(backend, world):
    if not isinstance(backend, DatabaseSearchBackend):
        pytest.skip("the database backend's own tables")
    index_with_matches_in_both_halves(backend, world)
    split, rows, before = table_layout(), stored_vectors(), answers(backend)
    assert split["halves"] == list(HALVES)

    migrate_search_to("0006_search_facet_set")
    whole = table_layout()
    assert whole == {**split, "halves": []}
    assert stored_vectors() == rows

    migrate_search_to(latest_search_migration())
    assert table_layout() == split
    assert stored_vectors() == rows
    assert answers(backend) == before
