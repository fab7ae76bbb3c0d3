"""What a buyer does on the search page: one box for Chinese, English, patent numbers and IPC codes; facets that
narrow as they are ticked; highlighted matches; and help when nothing is found."""

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from listings.models import Listing
from tests.factories import listing_publish, make_application_number
from tests.search.factories import make_listing

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def publish(listing: Listing, seller, broker, capture) -> Listing:
    """Submit and publish through the listing service, so the real signals index the listing after commit."""
    with capture(execute=True):
        return listing_publish(listing, seller_user=seller, broker=broker)


@dataclass
class Market:
    battery: Listing
    graphene: Listing
    english: Listing
    battery_number: str


@pytest.fixture
def market(world, backend, django_capture_on_commit_callbacks) -> Market:
    world.university.city = "ningbo"
    world.university.save()
    world.enterprise.city = "ningbo"
    world.enterprise.save()
    world.other_enterprise.city = "hangzhou"
    world.other_enterprise.save()
    battery_number = make_application_number(42)
    battery = make_listing(
        world.university,
        title="高能量密度锂电池正极材料技术",
        summary="这项技术让电动汽车电池充一次电跑得更远：能量密度从250Wh/kg提高到300Wh/kg。",
        number=battery_number,
        ipc=["H01M 4/525", "H01M 10/0525"],
    )
    graphene = make_listing(
        world.enterprise,  # registered with the alliance, below Ningbo
        title="石墨烯导热膜规模化制备技术",
        summary="用石墨烯制成的导热膜，为手机散热。",
        number=make_application_number(43),
        ipc=["C01B 32/184"],
        mode="transfer",
        amount=200_000_000,
    )
    english = make_listing(
        world.other_enterprise,
        title="Lithium batteries recycling process",
        summary="Recovers cobalt and nickel from spent lithium cells.",
        number=make_application_number(45, type_digit=2),
        ipc=["H01M 10/54"],
        patent_type="utility_model",
    )
    capture = django_capture_on_commit_callbacks
    publish(battery, world.seller, world.ningbo_broker, capture)
    publish(graphene, world.buyer, world.ningbo_broker, capture)
    publish(english, world.outsider, world.hangzhou_broker, capture)
    return Market(battery=battery, graphene=graphene, english=english, battery_number=battery_number)


def first_hit(response):
    hit, listing, _patents = response.context["hits"][0]
    return hit, listing


def result_ids(response) -> list[int]:
    return [listing.pk for _hit, listing, _patents in response.context["hits"]]


def facet_counts(response, facet: str) -> dict[str, int]:
    groups = {group.name: group for group in response.context["facet_groups"]}
    return {option.value: option.count for option in groups[facet].options} if facet in groups else {}


# --- One box for everything ---------------------------------------------------------------------------------


def test_the_search_page_offers_one_box_with_examples_of_what_it_takes(client, market):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="search"' in html and 'name="q"' in html
    for example in ("锂电池正极材料", "lithium battery", "CN201710601862.3", "H01M 4/525"):
        assert example in html
    assert set(result_ids(response)) == {market.battery.pk, market.graphene.pk, market.english.pk}


def test_a_chinese_query_shows_the_listing_first_with_its_words_marked(client, market):
    response = client.get(SEARCH, {"q": "锂电池正极材料"})
    hit, listing = first_hit(response)
    assert listing == market.battery
    assert "<mark>锂电池正极材料</mark>" in hit.title_html
    html = response.content.decode()
    assert "高能量密度<mark>锂电池正极材料</mark>技术" in html
    assert "&lt;mark&gt;" not in html  # marked safe where it comes from the backend, not escaped twice


def test_an_english_query_finds_any_form_of_the_words_and_marks_them(client, market):
    response = client.get(SEARCH, {"q": "lithium battery"})
    assert result_ids(response) == [market.english.pk]
    assert "<mark>Lithium</mark> <mark>batteries</mark> recycling process" in response.content.decode()


@pytest.mark.parametrize(
    "writing",
    [
        lambda n: n,
        lambda n: f"CN{n}",
        lambda n: f"ZL {n[:4]} {n[4]} {n[5:]}",
        lambda n: n.split(".")[0],
        lambda n: "ＣＮ" + n.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")),
    ],
    ids=["normalised", "cn-prefix", "zl-with-spaces", "digits-only", "full-width"],
)
def test_a_patent_number_in_any_writing_finds_its_listing_and_marks_the_number(client, market, writing):
    response = client.get(SEARCH, {"q": writing(market.battery_number)})
    assert result_ids(response) == [market.battery.pk]
    assert f"<mark>ZL{market.battery_number}</mark>" in response.content.decode()


def test_an_ipc_code_finds_the_listings_in_it_and_marks_the_code(client, market):
    response = client.get(SEARCH, {"q": "H01M 4/525"})
    assert result_ids(response) == [market.battery.pk]
    assert "<mark>H01M 4/525</mark>" in response.content.decode()

    response = client.get(SEARCH, {"q": "H01M"})
    assert set(result_ids(response)) == {market.battery.pk, market.english.pk}


# --- Facets -------------------------------------------------------------------------------------------------


def test_facet_counts_narrow_when_a_facet_is_ticked(client, market, world):
    everything = client.get(SEARCH)
    assert facet_counts(everything, "ipc_section") == {"C": 1, "H": 2}
    assert facet_counts(everything, "mode") == {"licence": 2, "transfer": 1}

    ticked = client.get(SEARCH, {"mode": "transfer"})
    assert result_ids(ticked) == [market.graphene.pk]
    # Other facets now count transfer listings only...
    assert facet_counts(ticked, "ipc_section") == {"C": 1}
    assert facet_counts(ticked, "city") == {"ningbo": 1}
    # ...while the ticked facet still shows what ticking another value would add.
    assert facet_counts(ticked, "mode") == {"licence": 2, "transfer": 1}
    html = ticked.content.decode()
    assert 'name="mode" value="transfer" checked' in html
    [active] = ticked.context["active_filters"]
    assert active.remove_url == SEARCH and f'href="{SEARCH}"' in html

    both = client.get(SEARCH, {"mode": ["transfer", "licence"], "city": "ningbo"})
    assert set(result_ids(both)) == {market.battery.pk, market.graphene.pk}
    assert facet_counts(both, "centre")[str(world.ningbo.pk)] == 2


def test_facets_combine_with_the_words(client, market):
    response = client.get(SEARCH, {"q": "H01M", "patent_type": "utility_model"})
    assert result_ids(response) == [market.english.pk]
    assert facet_counts(response, "patent_type") == {"invention": 1, "utility_model": 1}


def test_unknown_filter_values_sorts_and_pages_are_ignored_not_errors(client, market):
    response = client.get(
        SEARCH,
        {
            "mode": ["bogus", "transfer"],
            "city": "atlantis",
            "centre": ["999999", "abc"],
            "ipc_section": "Z",
            "sort": "cheapest",
            "page": "abc",
        },
    )
    assert response.status_code == 200
    assert response.context["query"].filters == {"mode": ["transfer"]}
    assert response.context["query"].sort == "relevance" and response.context["query"].page == 1
    assert result_ids(response) == [market.graphene.pk]

    for page in ("0", "-3", "99999999999999999999999", "1e3", "２"):
        assert client.get(SEARCH, {"page": page}).status_code == 200, page
    assert client.get(SEARCH, {"q": "x" * 5000}).status_code == 200
    assert client.get(SEARCH, {"q": "电池\x00"}).status_code == 200


def test_a_page_past_the_end_shows_the_last_page(client, market):
    response = client.get(SEARCH, {"page": "7"})
    assert response.status_code == 200
    assert response.context["results"].page == 1 and len(result_ids(response)) == 3


def test_results_come_in_pages_that_keep_the_query(client, market, monkeypatch):
    monkeypatch.setattr("search.views.PAGE_SIZE", 2)
    first = client.get(SEARCH, {"sort": "newest", "patent_type": ["invention", "utility_model"]})
    assert first.context["results"].num_pages == 2 and len(result_ids(first)) == 2
    html = first.content.decode()
    assert 'href="?sort=newest&amp;patent_type=invention&amp;patent_type=utility_model&amp;page=2" rel="next"' in html
    second = client.get(SEARCH, {"sort": "newest", "patent_type": ["invention", "utility_model"], "page": "2"})
    assert result_ids(second) == [market.battery.pk]  # published first, so last when newest come first
    assert set(result_ids(first)) | set(result_ids(second)) == {
        market.battery.pk,
        market.graphene.pk,
        market.english.pk,
    }


def test_sorting_by_price(client, market):
    response = client.get(SEARCH, {"sort": "price_desc"})
    assert result_ids(response)[0] == market.graphene.pk


def test_empty_fields_are_dropped_from_the_address(client, market):
    response = client.get(SEARCH, {"q": "", "mode": "licence"})
    assert response.status_code == 302 and response["Location"] == f"{SEARCH}?mode=licence"


# --- Nothing found ------------------------------------------------------------------------------------------


def test_zero_results_say_so_and_offer_to_relax_each_filter_with_its_count(client, market):
    response = client.get(SEARCH, {"q": "Lithium", "city": "ningbo"})
    assert response.context["results"].total == 0
    html = response.content.decode()
    assert "没有符合“Lithium”及所选筛选条件的挂牌。" in html
    relaxations = {relaxation.url: relaxation.count for relaxation in response.context["relaxations"]}
    assert relaxations == {
        f"{SEARCH}?q=Lithium": 1,  # remove “city: Ningbo”
        f"{SEARCH}?city=ningbo": 2,  # keep the city, drop the words
    }
    for url in relaxations:
        assert f'href="{url}"' in html.replace("&amp;", "&")
    # Following a relaxation finds what it promised.
    assert client.get(f"{SEARCH}?q=Lithium").context["results"].total == 1


def test_zero_results_suggest_titles_and_the_newest_listings_of_the_field_the_query_looked_like(client, market):
    response = client.get(SEARCH, {"q": "锂电池 散热", "mode": "transfer"})
    assert response.context["results"].total == 0
    suggestions = [title for title, _url in response.context["suggestions"]]
    assert market.battery.title in suggestions
    # 锂电池 finds listings in section H: the newest of them are shown.
    assert response.context["newest_section"].startswith("H")
    newest = [listing.pk for listing in response.context["newest_listings"]]
    assert set(newest) == {market.battery.pk, market.english.pk}
    assert market.battery.title in response.content.decode()
    # Leaving out 锂电池 finds the graphene film (散热, for transfer); so does keeping only the filter.
    relaxed = {relaxation.url: relaxation.count for relaxation in response.context["relaxations"]}
    assert relaxed == {
        f"{SEARCH}?{urlencode({'q': '散热', 'mode': 'transfer'})}": 1,
        f"{SEARCH}?mode=transfer": 1,
    }


def test_an_ipc_code_with_no_listing_shows_the_newest_of_its_section(client, market):
    response = client.get(SEARCH, {"q": "C01B 33/"})
    assert response.context["results"].total == 0
    assert response.context["newest_section"].startswith("C")
    assert [listing.pk for listing in response.context["newest_listings"]] == [market.graphene.pk]


def test_a_query_that_looks_like_nothing_shows_the_newest_listings_overall(client, market):
    response = client.get(SEARCH, {"q": "量子计算机"})
    assert response.context["results"].total == 0
    assert response.context["newest_section"] == ""
    assert len(response.context["newest_listings"]) == 3


def test_the_page_is_translated_and_marked_as_not_for_indexing_when_searching(client, market):
    client.cookies["django_language"] = "en"
    response = client.get(SEARCH, {"q": "石墨烯"})
    html = response.content.decode()
    assert "Search patents" in html and "1 listing for “石墨烯”" in html
    assert '<meta name="robots" content="noindex, follow">' in html
