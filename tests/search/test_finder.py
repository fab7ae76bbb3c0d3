"""What a buyer does in the finder (/patents/): one optional box for Chinese, English, patent numbers and IPC
codes; facets that count and narrow as they are ticked; highlighted matches; numbered pages with the total; help
when nothing is found; and the old addresses (/search/, the old browse parameters) that lead to it."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listings.models import Listing
from listings.pricing import PRICE_BANDS
from search.alerts import saved_search_create
from search.backends.base import PRICE_BAND
from search.documents import build_document, indexable_listings
from search.facets import facet_vocabulary
from search.forms import saved_search_path
from tests.factories import listing_publish, make_application_number
from tests.listings.market import WAN, build_market, make_patent
from tests.listings.market import Market as Catalogue
from tests.listings.market import make_listing as make_market_listing
from tests.search.factories import make_listing

pytestmark = pytest.mark.django_db

SEARCH = "/patents/"


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
    return [card.pk for _hit, card, _patents in response.context["hits"]]


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
    hit, card = first_hit(response)
    assert card.pk == market.battery.pk
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
    newest = [card.pk for _hit, card, _lines in response.context["newest_listings"]]
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
    assert [card.pk for _hit, card, _lines in response.context["newest_listings"]] == [market.graphene.pk]


def test_a_query_that_looks_like_nothing_shows_the_newest_listings_overall(client, market):
    response = client.get(SEARCH, {"q": "量子计算机"})
    assert response.context["results"].total == 0
    assert response.context["newest_section"] == ""
    assert len(response.context["newest_listings"]) == 3


def test_the_page_is_translated_and_marked_as_not_for_indexing_when_searching(client, market):
    client.cookies["django_language"] = "en"
    response = client.get(SEARCH, {"q": "石墨烯"})
    html = response.content.decode()
    assert "Patents on offer" in html and "1 listing for “石墨烯”" in html
    assert '<meta name="robots" content="noindex, follow">' in html


# --- Browsing without words: what the old browse page did ---------------------------------------------------


@pytest.fixture
def catalogue(world, backend, client) -> Catalogue:
    """Five listings on the market and four off it (tests.listings.market), in the index as a rebuild puts them."""
    client.cookies["django_language"] = "en"
    built = build_market(world)
    backend.add_bulk([build_document(listing) for listing in indexable_listings()])
    return built


def titles_on(response) -> list[str]:
    return [card.title for _hit, card, _lines in response.context["hits"]]


def browse(client, query: str = "") -> list[str]:
    response = client.get(f"{SEARCH}{query}")
    assert response.status_code == 200, query
    return titles_on(response)


def test_an_anonymous_visitor_sees_every_listing_on_the_market_newest_first(catalogue, client):
    response = client.get(SEARCH)
    assert titles_on(response) == [
        "Low-latency network protocol",
        "Anti-corrosion coating",
        "Smart furniture portfolio",
        "Water quality sensor",
        "Solid-state battery cathode",
    ]
    for hidden in ("Draft lithium anode", "Submitted robot arm", "Paused fuel cell", "Closed motor design"):
        assert hidden not in response.text
    assert "5 listings" in response.text


def test_the_card_tells_price_term_and_seller_in_plain_words(catalogue, client):
    text = client.get(SEARCH).text
    assert "30万元" in text and "600万元" in text and "Negotiable" in text
    assert "Portfolio of 2 patents" in text
    assert "Pending application — not yet granted" in text
    assert "宁波大学" in text and "Verified" in text
    assert "16 years" in text  # the battery's remaining term


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?mode=licence", {"Solid-state battery cathode", "Smart furniture portfolio", "Low-latency network protocol"}),
        # The protocol's transfer terms are closed: it no longer offers a transfer.
        ("?mode=transfer", {"Water quality sensor"}),
        ("?mode=equity", {"Smart furniture portfolio", "Anti-corrosion coating"}),
        ("?patent_type=utility_model", {"Water quality sensor"}),
        ("?patent_type=design", {"Smart furniture portfolio"}),
        ("?ipc_section=G", {"Water quality sensor", "Smart furniture portfolio"}),
        ("?ipc_section=H", {"Solid-state battery cathode", "Low-latency network protocol"}),
        ("?ipc_section=H&ipc_class=H01", {"Solid-state battery cathode"}),
        ("?ipc_class=H04", {"Low-latency network protocol"}),
        ("?legal_status=examination", {"Smart furniture portfolio"}),
        ("?price_band=under_100k", {"Water quality sensor"}),
        ("?price_band=100k_1m", {"Solid-state battery cathode"}),
        # The asking price (600万) wins over the amounts in the terms (an appraisal of 1200万 here).
        ("?price_band=1m_10m", {"Anti-corrosion coating", "Smart furniture portfolio"}),
        ("?price_band=over_10m", set()),
        ("?price_band=negotiable", {"Low-latency network protocol"}),
        ("?city=ningbo", {"Solid-state battery cathode", "Water quality sensor", "Low-latency network protocol"}),
        ("?city=wenzhou", {"Anti-corrosion coating"}),
        ("?seller_kind=university", {"Solid-state battery cathode", "Low-latency network protocol"}),
        ("?seller_kind=institute", {"Anti-corrosion coating"}),
        ("?seller_kind=enterprise", {"Water quality sensor", "Smart furniture portfolio"}),
        ("?mode=licence&city=ningbo&ipc_section=H", {"Solid-state battery cathode", "Low-latency network protocol"}),
        # Values of one facet are ORed.
        ("?city=wenzhou&city=hangzhou", {"Anti-corrosion coating", "Smart furniture portfolio"}),
    ],
)
def test_each_filter_narrows_the_results(catalogue, client, query, expected):
    assert set(browse(client, query)) == expected


def test_the_centre_filter_includes_the_sub_centres_of_the_chosen_centre(catalogue, world, client):
    ningbo = {"Solid-state battery cathode", "Water quality sensor", "Low-latency network protocol"}
    assert set(browse(client, f"?centre={world.ningbo.pk}")) == ningbo
    assert set(browse(client, f"?centre={world.ningbo_alliance.pk}")) == {"Water quality sensor"}
    assert set(browse(client, f"?centre={world.hangzhou.pk}")) == {
        "Smart furniture portfolio",
        "Anti-corrosion coating",
    }
    assert len(browse(client, f"?centre={world.root.pk}")) == 5


def test_every_option_counts_what_it_would_give_and_the_counts_narrow_with_other_filters(catalogue, world, client):
    response = client.get(SEARCH)
    assert facet_counts(response, "mode") == {"licence": 3, "transfer": 1, "equity": 2}
    assert facet_counts(response, "patent_type") == {"invention": 4, "utility_model": 1, "design": 1}
    assert facet_counts(response, "legal_status") == {"granted": 5, "examination": 1}
    assert facet_counts(response, "price_band") == {"under_100k": 1, "100k_1m": 1, "1m_10m": 2, "negotiable": 1}
    assert facet_counts(response, "ipc_section") == {"A": 1, "C": 1, "G": 2, "H": 2}
    assert facet_counts(response, "seller_kind") == {"university": 2, "institute": 1, "enterprise": 2}
    centres = facet_counts(response, "centre")
    assert centres[str(world.root.pk)] == 5
    assert centres[str(world.ningbo.pk)] == 3 and centres[str(world.ningbo_alliance.pk)] == 1

    narrowed = client.get(SEARCH, {"city": "ningbo"})
    assert facet_counts(narrowed, "mode") == {"licence": 2, "transfer": 1}
    assert facet_counts(narrowed, "seller_kind") == {"university": 2, "enterprise": 1}
    # A facet is counted without its own filter, so the other cities stay visible as alternatives.
    assert facet_counts(narrowed, "city") == {"ningbo": 3, "hangzhou": 1, "wenzhou": 1}


def test_the_ipc_classes_of_a_chosen_technology_field_are_offered_with_their_counts(catalogue, client):
    assert "ipc_class" not in {group.name for group in client.get(SEARCH).context["facet_groups"]}
    response = client.get(SEARCH, {"ipc_section": "H"})
    assert facet_counts(response, "ipc_class") == {"H01": 1, "H04": 1}
    assert 'name="ipc_class" value="H01"' in response.text and "H01 · Electricity" in response.text
    chosen = client.get(SEARCH, {"ipc_section": "H", "ipc_class": "H04"})
    assert titles_on(chosen) == ["Low-latency network protocol"]
    assert facet_counts(chosen, "ipc_class") == {"H01": 1, "H04": 1}


def test_the_price_bands_are_those_of_listings_pricing(catalogue, client):
    assert [value for value, _label in facet_vocabulary()[PRICE_BAND]] == [band.value for band in PRICE_BANDS]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "price_asc",
            [
                "Water quality sensor",
                "Solid-state battery cathode",
                "Anti-corrosion coating",
                "Smart furniture portfolio",
                "Low-latency network protocol",  # no price stated: last
            ],
        ),
        (
            "price_desc",
            [
                "Smart furniture portfolio",
                "Anti-corrosion coating",
                "Solid-state battery cathode",
                "Water quality sensor",
                "Low-latency network protocol",
            ],
        ),
        (
            "newest",
            [
                "Low-latency network protocol",
                "Anti-corrosion coating",
                "Smart furniture portfolio",
                "Water quality sensor",
                "Solid-state battery cathode",
            ],
        ),
    ],
)
def test_sort_orders(catalogue, client, sort, expected):
    assert browse(client, f"?sort={sort}") == expected


def test_numbered_pages_show_the_total_and_keep_the_filters(world, backend, client):
    client.cookies["django_language"] = "en"
    for number in range(45):
        make_market_listing(
            seller=world.university,
            title=f"Licence {number:02d}",
            patents=[make_patent()],
            terms=[{"mode": "licence"}],
            published_days_ago=number + 1,
        )
    make_market_listing(
        seller=world.university, title="Transfer only", patents=[make_patent()], terms=[{"mode": "transfer"}]
    )
    backend.add_bulk([build_document(listing) for listing in indexable_listings()])

    first = client.get(SEARCH, {"mode": "licence", "sort": "newest"})
    assert len(titles_on(first)) == 20
    nav = first.text[first.text.index('<nav class="pagination"') :]
    assert "45 in all · page 1 of 3" in nav
    assert 'href="?mode=licence&amp;sort=newest&amp;page=2" rel="next"' in nav
    assert 'href="?mode=licence&amp;sort=newest&amp;page=3"' in nav  # the last page
    assert '<span aria-current="page">1</span>' in nav

    last = client.get(SEARCH, {"mode": "licence", "sort": "newest", "page": "3"})
    assert titles_on(last) == [f"Licence {number}" for number in range(40, 45)]
    nav = last.text[last.text.index('<nav class="pagination"') :]
    # Page 1 is linked without a page number: one address per page.
    assert 'href="?mode=licence&amp;sort=newest"' in nav and "page=1" not in nav
    assert 'href="?mode=licence&amp;sort=newest&amp;page=2" rel="prev"' in nav


def test_the_chinese_page_counts_in_chinese(catalogue, client):
    client.cookies["django_language"] = "zh-hans"
    assert "共 5 项 · 第 1 / 1 页" in client.get(SEARCH).text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/search/", "/patents/"),
        ("/search/?q=%E9%94%82%E7%94%B5%E6%B1%A0&mode=licence", "/patents/?q=%E9%94%82%E7%94%B5%E6%B1%A0&mode=licence"),
        ("/search/?q=H01M&sort=price_desc&page=2", "/patents/?q=H01M&sort=price_desc&page=2"),
        ("/patents/?section=H", "/patents/?ipc_section=H"),
        ("/patents/?section=H&ipc_class=h01", "/patents/?ipc_section=H&ipc_class=H01"),
        ("/patents/?seller_type=university&city=ningbo", "/patents/?seller_kind=university&city=ningbo"),
        ("/patents/?price=100k_1m", "/patents/?price_band=100k_1m"),
        ("/patents/?legal_status=pending", "/patents/?legal_status=examination&legal_status=published"),
        ("/patents/?sort=-price", "/patents/?sort=price_desc"),
        ("/patents/?sort=price&mode=licence", "/patents/?sort=price_asc&mode=licence"),
        # No equivalent: the remaining term and the longest-term sort are dropped.
        ("/patents/?term=10&mode=licence", "/patents/?mode=licence"),
        ("/patents/?sort=term", "/patents/"),
        ("/search/?section=G", "/patents/?ipc_section=G"),
    ],
)
def test_old_addresses_redirect_for_good_to_the_finder(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


@pytest.mark.parametrize(
    "address",
    ["/patents/?legal_status=granted", "/patents/?ipc_class=H01&sort=newest", "/patents/?q=H01M&sort=price_asc"],
)
def test_an_address_the_finder_writes_is_never_redirected(catalogue, client, address):
    assert client.get(address).status_code == 200


def test_an_old_browse_link_still_shows_what_it_showed(catalogue, client):
    response = client.get("/patents/?section=H&seller_type=university&sort=-price", follow=True)
    assert titles_on(response) == ["Solid-state battery cathode", "Low-latency network protocol"]


def test_a_saved_search_and_its_alert_link_to_the_finder(catalogue, world):
    saved = saved_search_create(
        user=world.buyer, name="H", text="电池", filters={"ipc_section": ["H"]}, language="zh-hans"
    )
    assert saved_search_path(saved) == "/patents/?q=%E7%94%B5%E6%B1%A0&ipc_section=H"


@pytest.mark.parametrize(
    "query",
    [
        "?mode=barter",
        "?patent_type=<script>alert(1)</script>",
        "?ipc_section=Z",
        "?ipc_class=ZZZ",
        "?ipc_class=" + "H" * 5000,
        "?section=HH",
        "?legal_status=pending&legal_status=expired",
        "?price=-1",
        "?price_band=100k_1m%00",
        "?city=atlantis",
        "?centre=abc",
        "?centre=1;DROP%20TABLE%20listings_listing",
        "?seller_type=agency",
        "?term=five",
        "?sort=password",
        "?page=1e9",
        "?unknown=1",
        "?city=%ff%fe",
    ],
)
def test_garbage_in_the_address_is_ignored_never_an_error(catalogue, client, query):
    assert client.get(SEARCH + query, follow=True).status_code == 200


def test_no_match_says_so_and_offers_to_drop_the_filter(catalogue, client):
    response = client.get(SEARCH, {"city": "lishui"})
    assert titles_on(response) == []
    assert "No listing matches all of the filters you chose." in response.text
    assert "Clear all filters" in response.text


def test_the_filters_work_without_javascript_and_label_every_option(catalogue, client):
    text = client.get(SEARCH).text
    aside = text[text.index('<aside class="browse-filters"') : text.index("</aside>")]
    for option_id in re.findall(r'<input type="checkbox" form="search-form" id="([^"]+)"', aside):
        assert f'<label for="{option_id}">' in aside
    assert '<button type="submit" form="search-form"' in aside


def main_of(response) -> str:
    text = response.content.decode()
    return text[text.index('<main id="main"') : text.index("</main>")]


def test_an_anonymous_visitor_needs_no_session_and_no_form_token(catalogue, client):
    response = client.get(SEARCH, {"mode": "licence"})
    main = main_of(response)
    assert "csrfmiddlewaretoken" not in main and 'method="post"' not in main
    assert 'href="/accounts/login/?next=%2Fpatents%2F%3Fmode%3Dlicence"' in main  # log in to save this search
    assert "sessionid" not in response.cookies


def test_a_signed_in_buyer_can_save_the_search_from_the_finder(catalogue, world, client):
    client.force_login(world.buyer)
    main = main_of(client.get(SEARCH, {"mode": "licence"}))
    assert 'action="/search/save/"' in main and "csrfmiddlewaretoken" in main


def finder_queries(client, query: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(SEARCH, query).status_code == 200
    return len(captured)


# The finder page for an anonymous visitor: the index grouped by facet set (total and every facet count), the
# page's ids, their titles and summaries, the cards (listings with sellers, patents, terms), and how many technology
# demands the same words find (the kind tabs: 专利 · 技术需求).
FINDER_QUERIES = 7


@pytest.mark.parametrize(
    "query", [{}, {"mode": "licence"}, {"ipc_section": "H", "city": "ningbo", "sort": "price_asc"}]
)
def test_the_finder_runs_a_few_queries_however_many_listings_a_page_shows(
    catalogue, world, backend, client, query, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page rendered each time, not served from the page cache
    client.get(SEARCH)  # the facet vocabulary is read once, then kept
    before = finder_queries(client, query)
    assert before <= FINDER_QUERIES, before
    for number in range(15):
        make_market_listing(
            seller=world.university,
            title=f"More {number}",
            patents=[make_patent(), make_patent(patent_type="utility_model", ipc="H04L 45/00")],
            terms=[{"mode": "licence", "upfront_fee_fen": WAN}, {"mode": "transfer", "price_fen": 2 * WAN}],
        )
    backend.add_bulk([build_document(listing) for listing in indexable_listings()])
    assert finder_queries(client, query) == before


def test_a_keyword_search_runs_a_fixed_number_of_queries_too(catalogue, world, backend, client):
    client.get(SEARCH)
    before = finder_queries(client, {"q": "battery"})
    # SQLite reads every match in one statement; PostgreSQL reads the index's two halves, each in a few statements
    # (search.backends.database.postgres), still a fixed number.
    if connection.vendor == "sqlite":
        assert before <= FINDER_QUERIES
    for number in range(5):
        make_market_listing(
            seller=world.university, title=f"Battery {number}", patents=[make_patent()], terms=[{"mode": "licence"}]
        )
    backend.add_bulk([build_document(listing) for listing in indexable_listings()])
    assert finder_queries(client, {"q": "battery"}) == before


def test_the_facet_vocabulary_is_read_again_when_a_centre_changes(catalogue, world, client):
    client.get(SEARCH)
    world.ningbo_alliance.name = "新能源汽车联盟"
    world.ningbo_alliance.save()
    assert "新能源汽车联盟" in dict(facet_vocabulary()["centre"])[str(world.ningbo_alliance.pk)]


# --- English: the seller's own English version ----------------------------------------------------------------


def give_english(backend, listing: Listing, *, title: str, summary: str = "") -> None:
    Listing.objects.filter(pk=listing.pk).update(title_en=title, summary_en=summary)
    backend.add_bulk([build_document(indexable_listings().get(pk=listing.pk))])


def test_an_english_reader_finds_a_chinese_listing_by_its_english_version_and_reads_it_marked(client, backend, market):
    give_english(
        backend,
        market.graphene,
        title="Scalable preparation of graphene heat-spreading film",
        summary="Heat-spreading films made of graphene that cool mobile phones.",
    )
    client.cookies["django_language"] = "en"

    response = client.get(SEARCH, {"q": "graphene films"})

    assert result_ids(response) == [market.graphene.pk]
    html = response.content.decode()
    assert 'lang="en">Scalable preparation of <mark>graphene</mark> heat-spreading <mark>film</mark></a>' in html
    assert "石墨烯导热膜规模化制备技术" not in html  # the English version replaces the Chinese on the card
    assert "<mark>films</mark>" in html and "cool mobile phones" in html


def test_an_english_reader_sees_chinese_only_listings_marked_as_such(client, backend, market):
    give_english(backend, market.graphene, title="Scalable preparation of graphene heat-spreading film")
    client.cookies["django_language"] = "en"

    cards = {card.pk: text for text, card, _lines in client.get(SEARCH).context["hits"]}

    assert cards[market.graphene.pk].title_lang == "en" and not cards[market.graphene.pk].chinese_only
    assert cards[market.graphene.pk].summary_lang == "zh-Hans"  # no English summary: the Chinese one
    assert cards[market.battery.pk].title_lang == "zh-Hans" and cards[market.battery.pk].chinese_only
    assert "Chinese only" in client.get(SEARCH).content.decode()


def test_a_chinese_reader_sees_the_chinese_text_whatever_english_there_is(client, backend, market):
    give_english(backend, market.graphene, title="Scalable preparation of graphene heat-spreading film")

    response = client.get(SEARCH, {"q": "石墨烯"})

    html = response.content.decode()
    assert "<mark>石墨烯</mark>导热膜规模化制备技术" in html
    assert "heat-spreading" not in html and "Chinese only" not in html and "仅中文" not in html
