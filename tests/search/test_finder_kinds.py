"""The finder's second kind of result: technology demands beside the patents on offer, with a count of each for the
words typed (专利 N · 技术需求 M), the same words kept when switching, demand cards with their own facets and pages,
and only published demands for anyone anonymous, in the page cache too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demands.models import DemandStatus
from demands.services import demand_set_status, demand_update
from listings.models import Listing, ListingStatus
from search.backends.base import DEMANDS
from search.documents import build_document, indexable_listings
from search.services import document_outbox_drain
from tests.demands.conftest import draft_of, published_of
from tests.factories import make_application_number
from tests.search.factories import make_listing

pytestmark = pytest.mark.django_db

FINDER = "/patents/"


def drained() -> None:
    """What the task runner does after the commit: the demands' index entries brought up to date."""
    document_outbox_drain(seconds=5)


@pytest.fixture
def market(world, backend):
    """One patent and two demands about lithium batteries, one demand about sludge, all public and indexed."""
    listing = make_listing(
        world.university,
        title="高能量密度锂电池正极材料技术",
        summary="能量密度从250Wh/kg提高到300Wh/kg。",
        number=make_application_number(42),
        ipc=["H01M 4/525"],
    )
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.PUBLISHED, published_at=timezone.now())
    backend.add_bulk([build_document(item) for item in indexable_listings()])
    battery = published_of(
        world,
        title="寻求锂电池热失控预警技术",
        description="我司生产储能电池包，锂电池热失控时有发生，希望在起火前30秒预警。",
        title_en="Early warning of thermal runaway in lithium batteries",
        summary_en="We build storage battery packs and need a warning 30 s before a fire.",
    )
    pack = published_of(
        world,
        title="动力锂电池包轻量化",
        description="电池包壳体太重，需要新的轻量化材料。",
        city="hangzhou",
        deal_kinds=["transfer"],
    )
    sludge = published_of(
        world, title="污水处理厂污泥减量", description="市政污泥处置费用高。", field="C", deal_kinds=["licence"]
    )
    drained()
    return {"listing": listing, "battery": battery, "pack": pack, "sludge": sludge}


def tabs(response) -> dict[str, tuple[int, str, bool]]:
    return {tab.kind: (tab.count, tab.url, tab.current) for tab in response.context["kind_tabs"]}


def titles(response) -> str:
    return response.content.decode()


def test_a_visitor_searching_sees_how_many_patents_and_demands_the_words_find(client, market):
    response = client.get(FINDER, {"q": "锂电池"})
    assert tabs(response) == {
        "listings": (1, "/patents/?q=%E9%94%82%E7%94%B5%E6%B1%A0", True),
        "demands": (2, "/patents/?q=%E9%94%82%E7%94%B5%E6%B1%A0&kind=demands", False),
    }
    page = response.content.decode()
    assert '专利 <span class="result-kind-count">1</span>' in page
    assert '技术需求 <span class="result-kind-count">2</span>' in page


def test_switching_to_demands_keeps_the_words_and_shows_demand_cards(client, market):
    response = client.get(FINDER, {"q": "锂电池", "kind": "demands"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "寻求锂电池热失控预警技术" in page and "动力锂电池包轻量化" in page
    assert "污水处理厂污泥减量" not in page and "高能量密度锂电池正极材料技术" not in page
    assert f'href="/demands/{market["battery"].pk}/"' in page  # the demand's own card (templates/demands/_card.html)
    assert 'name="kind" value="demands"' in page  # a new search from here stays with demands
    assert tabs(response)["listings"] == (1, "/patents/?q=%E9%94%82%E7%94%B5%E6%B1%A0", False)
    assert tabs(response)["demands"][0] == 2 and tabs(response)["demands"][2]
    assert "<title>“锂电池” · 技术需求" in page or "“锂电池” · Technology demands" in page


def test_a_compound_word_and_a_single_character_find_a_demand(client, market):
    for text in ("电池", "热失控", "锂", "水处理"):
        response = client.get(FINDER, {"q": text, "kind": "demands"})
        assert response.context["results"].total >= 1, text
        if text == "热失控":
            assert response.context["results"].ids == [market["battery"].pk]


def test_english_words_find_a_demand_by_its_english_version_in_any_form(client, market):
    client.cookies["django_language"] = "en"
    response = client.get(FINDER, {"q": "batteries warning", "kind": "demands"})
    assert response.context["results"].ids == [market["battery"].pk]


def test_demand_facets_count_and_narrow_by_field_region_and_kind_of_deal(client, market):
    response = client.get(FINDER, {"kind": "demands"})
    groups = {
        group.name: {option.value: option.count for option in group.options}
        for group in response.context["facet_groups"]
    }
    assert groups["field"] == {"C": 1, "H": 2}
    assert groups["city"] == {"hangzhou": 1, "ningbo": 2}
    assert groups["deal_kind"] == {"licence": 2, "transfer": 1, "joint_development": 1}
    narrowed = client.get(FINDER, {"kind": "demands", "city": "hangzhou"})
    assert narrowed.context["results"].ids == [market["pack"].pk]
    # Listing facets mean nothing for demands: dropped, never an error.
    assert client.get(FINDER, {"kind": "demands", "mode": "licence", "sort": "price_asc"}).status_code == 200


def test_unpublished_demands_never_appear_for_an_anonymous_visitor(client, world, market, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    draft_of(world, title="机密草稿锂电池需求QX3")
    submitted = draft_of(world, title="待审锂电池需求QX4")
    demand_set_status(demand=submitted, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    # Paused after being indexed, and the index not caught up yet: the card is still not shown.
    demand_set_status(demand=market["pack"], to_status=DemandStatus.PAUSED, actor=world.buyer)
    page = client.get(FINDER, {"q": "锂电池", "kind": "demands"}).content.decode()
    assert "QX3" not in page and "QX4" not in page and "动力锂电池包轻量化" not in page
    drained()
    response = client.get(FINDER, {"q": "锂电池", "kind": "demands"})
    assert response.context["results"].ids == [market["battery"].pk]
    assert tabs(client.get(FINDER, {"q": "锂电池"}))["demands"][0] == 1


def test_demands_have_numbered_pages_like_the_listings(client, world, backend):
    for number in range(23):
        published_of(world, title=f"寻求第{number}号电池材料", deadline=timezone.localdate() + timedelta(days=30))
    drained()
    first = client.get(FINDER, {"kind": "demands"})
    assert first.context["results"].total == 23 and len(first.context["other_cards"]) == 20
    assert "?kind=demands&amp;page=2" in first.content.decode()
    second = client.get(FINDER, {"kind": "demands", "page": 2})
    assert len(second.context["other_cards"]) == 3
    assert client.get(FINDER, {"kind": "demands", "page": 9}).context["results"].page == 2  # past the end: the last


def test_a_cached_anonymous_finder_page_follows_a_demand_change(client, world, market, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    address = {"q": "锂电池", "kind": "demands"}
    assert "寻求锂电池热失控预警技术" in client.get(FINDER, address).content.decode()
    demand_update(demand=market["battery"], actor=world.buyer, title="寻求锂电池热失控在线预警技术")
    drained()
    page = client.get(FINDER, address).content.decode()
    assert "寻求锂电池热失控在线预警技术" in page
    demand_set_status(
        demand=market["battery"], to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="withdrawn"
    )
    drained()
    assert "热失控" not in client.get(FINDER, address).content.decode()


def test_an_unknown_kind_shows_the_patents(client, market):
    response = client.get(FINDER, {"q": "锂电池", "kind": "auctions"})
    assert response.context["kind"] == "listings" and response.context["results"].total == 1
    assert DEMANDS in tabs(response)


def test_the_demands_list_stays_and_its_search_box_leads_into_the_finder_with_its_filters(client, market):
    page = client.get("/demands/", {"city": "hangzhou", "field": "H"}).content.decode()
    assert 'action="/patents/"' in page and 'name="kind" value="demands"' in page
    assert 'name="city" value="hangzhou"' in page and 'name="field" value="H"' in page
    response = client.get(FINDER, {"q": "电池", "kind": "demands", "city": "hangzhou", "field": "H"})
    assert response.context["results"].ids == [market["pack"].pk]
