"""A buyer browses the patents on offer, narrows them down, and reads one listing; search engines index them."""

import itertools
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.conf import settings as project_settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from config import urls as site_urls
from listings.models import (
    CloseReason,
    Listing,
    ListingBenefit,
    ListingPatent,
    ListingStatus,
    ListingTerms,
    Patent,
)
from listings.patents.numbers import compute_check_digit
from listings.pricing import (
    NEGOTIABLE_BAND,
    PRICE_ANNOTATION,
    PRICED_BANDS,
    display_price_fen,
    price_band_number,
    price_band_of,
    with_display_price,
)
from listings.selectors import listings_on_market
from listings.templatetags.listing_tags import fen_to_yuan, yuan_wan
from marketplace.centres.selectors import forget_centre_tree
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind
from search.backends.base import PRICE_BAND
from search.facets import facet_vocabulary
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

WAN = 10_000 * 100  # fen in 1万元

_serials = itertools.count(1)
_TYPE_DIGITS = {"invention": "1", "utility_model": "2", "design": "3"}


def years_ago(years: int, days: int = 30) -> date:
    """A filing date `years` (and a month) back, so the remaining term is never on a boundary."""
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def make_patent(
    *,
    patent_type: str = "invention",
    legal_status: str = "granted",
    filed: date | None = None,
    ipc: str = "H01M 4/525",
    title: str = "一种正极材料",
) -> Patent:
    filed = filed or years_ago(3)
    digits = f"{filed.year}{_TYPE_DIGITS[patent_type]}{next(_serials):07d}"
    return Patent.objects.create(
        application_number=f"{digits}.{compute_check_digit(digits)}",
        patent_type=patent_type,
        title=title,
        abstract="本发明公开了一种正极材料。",
        first_claim="1. 一种正极材料，其特征在于……",
        ipc_codes=[ipc],
        main_ipc=ipc,
        filing_date=filed,
        legal_status=legal_status,
        applicant_names=["宁波大学"],
        inventors=["王磊", "陈静"],
    )


def make_listing(
    *,
    seller,
    patents: list[Patent],
    terms: list[dict],
    title: str,
    status: str = ListingStatus.PUBLISHED,
    centre=None,
    asking_price_fen: int | None = None,
    published_days_ago: int = 1,
    summary: str = "What it does, in plain words.",
    **fields,
) -> Listing:
    listing = Listing.objects.create(
        title=title,
        summary=summary,
        seller=seller,
        centre=centre or seller.centre,
        status=status,
        asking_price_fen=asking_price_fen,
        published_at=timezone.now() - timedelta(days=published_days_ago) if status != ListingStatus.DRAFT else None,
        **fields,
    )
    for position, patent in enumerate(patents):
        ListingPatent.objects.create(listing=listing, patent=patent, position=position)
    for term in terms:
        ListingTerms.objects.create(listing=listing, **term)
    return listing


@dataclass
class Market:
    battery: Listing  # university, Ningbo; invention granted H01M, 16 years left; licence 30万 upfront
    sensor: Listing  # enterprise under the Ningbo alliance; utility model G01N, 2 years left; transfer 8万
    portfolio: Listing  # Hangzhou firm; pending invention G06F (18 y) + granted design A47C (12 y); 600万 asked
    coating: Listing  # Wenzhou institute; invention C08L, 7 years left; equity appraised 200万
    network: Listing  # university, Ningbo; invention H04L, 14 years left; royalty only: no price stated
    draft: Listing
    submitted: Listing
    paused: Listing
    closed: Listing

    @property
    def published(self) -> list[Listing]:
        return [self.battery, self.sensor, self.portfolio, self.coating, self.network]


@pytest.fixture(autouse=True)
def fresh_facet_counts():
    # Facet counts are cached for a minute; each test builds its own market.
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies[project_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def market(world, english) -> Market:
    world.university.city = City.NINGBO
    world.university.save()
    world.enterprise.city = City.NINGBO
    world.enterprise.save()
    institute = OrganisationFactory(
        name="温州材料研究所", kind=OrganisationKind.INSTITUTE, city=City.WENZHOU, centre=world.hangzhou
    )
    battery = make_listing(
        seller=world.university,
        title="Solid-state battery cathode",
        summary="A cathode that lets electric cars drive 20% further on one charge.",
        patents=[make_patent(filed=years_ago(3), ipc="H01M 4/525", title="一种高镍正极材料")],
        terms=[{"mode": "licence", "licence_types": ["ordinary", "exclusive"], "upfront_fee_fen": 30 * WAN}],
        published_days_ago=50,
        maturity="pilot",
        application_fields="Electric vehicles; energy storage",
        comparison="Lasts 1,500 cycles where today's cells last 1,000.",
    )
    ListingBenefit.objects.create(
        listing=battery, metric="Energy density", value="300", unit="Wh/kg", baseline="250 Wh/kg in today's cells"
    )
    sensor = make_listing(
        seller=world.enterprise,
        title="Water quality sensor",
        patents=[make_patent(patent_type="utility_model", filed=years_ago(7), ipc="G01N 33/18")],
        terms=[{"mode": "transfer", "price_fen": 8 * WAN}],
        published_days_ago=40,
    )
    portfolio = make_listing(
        seller=world.other_enterprise,
        title="Smart furniture portfolio",
        patents=[
            make_patent(legal_status="examination", filed=years_ago(1), ipc="G06F 16/33"),
            make_patent(patent_type="design", filed=years_ago(2), ipc="A47C 7/00"),
        ],
        terms=[{"mode": "licence", "royalty_rate": "3.50"}, {"mode": "equity", "appraised_value_fen": 1200 * WAN}],
        asking_price_fen=600 * WAN,
        published_days_ago=30,
    )
    coating = make_listing(
        seller=institute,
        title="Anti-corrosion coating",
        patents=[make_patent(filed=years_ago(12), ipc="C08L 63/00")],
        terms=[{"mode": "equity", "appraised_value_fen": 200 * WAN}],
        published_days_ago=20,
    )
    network = make_listing(
        seller=world.university,
        title="Low-latency network protocol",
        patents=[make_patent(filed=years_ago(5), ipc="H04L 45/00")],
        terms=[{"mode": "licence", "royalty_rate": "2.00"}, {"mode": "transfer", "is_open": False}],
        published_days_ago=10,
    )
    hidden = {"patents": [], "terms": [{"mode": "licence", "upfront_fee_fen": 20 * WAN}]}
    return Market(
        battery=battery,
        sensor=sensor,
        portfolio=portfolio,
        coating=coating,
        network=network,
        draft=make_listing(seller=world.university, title="Draft lithium anode", status="draft", **hidden),
        submitted=make_listing(
            seller=world.other_enterprise, title="Submitted robot arm", status="submitted", **hidden
        ),
        paused=make_listing(seller=world.university, title="Paused fuel cell", status="paused", **hidden),
        closed=make_listing(
            seller=world.university,
            title="Closed motor design",
            status="closed",
            close_reason=CloseReason.TRANSFERRED,
            **hidden,
        ),
    )


def titles_on(response) -> list[str]:
    return [listing.title for listing in response.context["page_obj"]]


def browse(client, query: str = "") -> list[str]:
    response = client.get(f"/patents/{query}")
    assert response.status_code == 200, query
    return titles_on(response)


def facet(response, name: str) -> dict[str, int]:
    found = next(facet for facet in response.context["facets"] if facet.name == name)
    return {option.value: option.count for option in found.options}


# --- Browsing ---------------------------------------------------------------------------------------------------


def test_an_anonymous_visitor_sees_only_published_listings_newest_first(market, client):
    response = client.get("/patents/")
    assert response.status_code == 200
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


def test_the_card_tells_price_term_and_seller_in_plain_words(market, client):
    text = client.get("/patents/").text
    assert "30万元" in text and "600万元" in text and "Negotiable" in text
    assert "Portfolio of 2 patents" in text
    assert "Pending application — not yet granted" in text
    assert "宁波大学" in text and "Verified" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?mode=licence", {"Solid-state battery cathode", "Smart furniture portfolio", "Low-latency network protocol"}),
        # The protocol's transfer terms are closed: it no longer offers a transfer.
        ("?mode=transfer", {"Water quality sensor"}),
        ("?mode=equity", {"Smart furniture portfolio", "Anti-corrosion coating"}),
        ("?patent_type=utility_model", {"Water quality sensor"}),
        ("?patent_type=design", {"Smart furniture portfolio"}),
        ("?section=G", {"Water quality sensor", "Smart furniture portfolio"}),
        ("?section=H", {"Solid-state battery cathode", "Low-latency network protocol"}),
        ("?ipc_class=H01", {"Solid-state battery cathode"}),
        ("?ipc_class=h04", {"Low-latency network protocol"}),
        ("?legal_status=pending", {"Smart furniture portfolio"}),
        ("?price=under_100k", {"Water quality sensor"}),
        ("?price=100k_1m", {"Solid-state battery cathode"}),
        # The asking price (600万) wins over the amounts in the terms (an appraisal of 1200万 here).
        ("?price=1m_10m", {"Anti-corrosion coating", "Smart furniture portfolio"}),
        ("?price=over_10m", set()),
        ("?price=negotiable", {"Low-latency network protocol"}),
        ("?city=ningbo", {"Solid-state battery cathode", "Water quality sensor", "Low-latency network protocol"}),
        ("?city=wenzhou", {"Anti-corrosion coating"}),
        ("?seller_type=university", {"Solid-state battery cathode", "Low-latency network protocol"}),
        ("?seller_type=institute", {"Anti-corrosion coating"}),
        ("?seller_type=enterprise", {"Water quality sensor", "Smart furniture portfolio"}),
        (
            "?term=10",
            {"Solid-state battery cathode", "Smart furniture portfolio", "Low-latency network protocol"},
        ),
        (
            "?term=5",
            {
                "Solid-state battery cathode",
                "Smart furniture portfolio",
                "Low-latency network protocol",
                "Anti-corrosion coating",
            },
        ),
        ("?mode=licence&city=ningbo&section=H", {"Solid-state battery cathode", "Low-latency network protocol"}),
    ],
)
def test_each_filter_narrows_the_results(market, client, query, expected):
    assert set(browse(client, query)) == expected


def test_the_centre_filter_includes_the_sub_centres_of_the_chosen_centre(market, world, client):
    ningbo = {"Solid-state battery cathode", "Water quality sensor", "Low-latency network protocol"}
    assert set(browse(client, f"?centre={world.ningbo.pk}")) == ningbo
    assert set(browse(client, f"?centre={world.ningbo_alliance.pk}")) == {"Water quality sensor"}
    assert set(browse(client, f"?centre={world.hangzhou.pk}")) == {
        "Smart furniture portfolio",
        "Anti-corrosion coating",
    }
    assert len(browse(client, f"?centre={world.root.pk}")) == 5


def test_a_portfolio_matches_patent_filters_only_when_one_patent_meets_them_all(market, client):
    # It holds a pending invention and a granted design, but no pending design.
    assert browse(client, "?patent_type=design&legal_status=granted") == ["Smart furniture portfolio"]
    assert browse(client, "?patent_type=design&legal_status=pending") == []
    # Matching two of its patents does not list it twice.
    assert browse(client, "?section=G") == ["Smart furniture portfolio", "Water quality sensor"]


def test_facet_counts_show_what_each_option_would_give_and_narrow_with_other_filters(market, world, client):
    response = client.get("/patents/")
    assert facet(response, "mode") == {"licence": 3, "transfer": 1, "equity": 2}
    assert facet(response, "patent_type") == {"invention": 4, "utility_model": 1, "design": 1}
    assert facet(response, "legal_status") == {"granted": 5, "pending": 1}
    assert facet(response, "price") == {
        "under_100k": 1,
        "100k_1m": 1,
        "1m_10m": 2,
        "over_10m": 0,
        "negotiable": 1,
    }
    assert facet(response, "term") == {"5": 4, "10": 3}
    assert facet(response, "section")["G"] == 2 and facet(response, "section")["H"] == 2
    assert facet(response, "seller_type") == {"university": 2, "institute": 1, "enterprise": 2}
    centres = facet(response, "centre")
    assert centres[str(world.root.pk)] == 5
    assert centres[str(world.ningbo.pk)] == 3 and centres[str(world.ningbo_alliance.pk)] == 1

    narrowed = client.get("/patents/?city=ningbo")
    assert facet(narrowed, "mode") == {"licence": 2, "transfer": 1, "equity": 0}
    assert facet(narrowed, "seller_type") == {"university": 2, "institute": 0, "enterprise": 1}
    # A facet is counted without its own filter, so the other cities stay visible as alternatives.
    assert facet(narrowed, "city")["hangzhou"] == 1 and facet(narrowed, "city")["wenzhou"] == 1
    # Patent facets respect the other patent filters on the same patent.
    pending = client.get("/patents/?legal_status=pending")
    assert facet(pending, "patent_type") == {"invention": 1, "utility_model": 0, "design": 0}


def test_a_listings_price_and_band_are_the_same_in_python_and_in_sql(market):
    priced = with_display_price(listings_on_market()).annotate(band_number=price_band_number())
    for listing in priced:
        price = display_price_fen(listing)
        assert price == getattr(listing, PRICE_ANNOTATION), listing.title
        band = NEGOTIABLE_BAND if listing.band_number is None else PRICED_BANDS[listing.band_number]
        assert price_band_of(price) == band, listing.title


def test_browse_and_search_offer_the_same_price_bands(market, client):
    price = next(facet for facet in client.get("/patents/").context["facets"] if facet.name == "price")
    assert [(option.value, option.label) for option in price.options] == facet_vocabulary()[PRICE_BAND]


def test_the_ipc_class_facet_lists_the_classes_of_the_chosen_section(market, client):
    response = client.get("/patents/?section=H")
    assert facet(response, "ipc_class") == {"H01": 1, "H04": 1}
    assert 'name="section"' in response.text and "Electricity" in response.text


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "price",
            [
                "Water quality sensor",
                "Solid-state battery cathode",
                "Anti-corrosion coating",
                "Smart furniture portfolio",
                "Low-latency network protocol",  # no price stated: last
            ],
        ),
        (
            "-price",
            [
                "Smart furniture portfolio",
                "Anti-corrosion coating",
                "Solid-state battery cathode",
                "Water quality sensor",
                "Low-latency network protocol",
            ],
        ),
        (
            "term",
            [
                "Smart furniture portfolio",  # its pending invention runs 18 more years
                "Solid-state battery cathode",
                "Low-latency network protocol",
                "Anti-corrosion coating",
                "Water quality sensor",
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
def test_sort_orders(market, client, sort, expected):
    assert browse(client, f"?sort={sort}") == expected


def test_pagination_shows_twenty_per_page_and_keeps_the_filters(world, client):
    for number in range(23):
        make_listing(
            seller=world.university,
            title=f"Licence {number:02d}",
            patents=[make_patent()],
            terms=[{"mode": "licence"}],
            published_days_ago=number + 1,
        )
    make_listing(seller=world.university, title="Transfer only", patents=[make_patent()], terms=[{"mode": "transfer"}])

    first = client.get("/patents/?mode=licence&sort=newest")
    assert len(titles_on(first)) == 20
    assert first.context["page_obj"].paginator.count == 23
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', first.text).group(1).replace("&amp;", "&")
    assert "mode=licence" in next_link and "sort=newest" in next_link

    second = client.get("/patents/" + next_link)
    assert titles_on(second) == ["Licence 20", "Licence 21", "Licence 22"]
    previous_link = re.search(r'href="(\?[^"]*page=1[^"]*)"', second.text).group(1)
    assert "mode=licence" in previous_link


def test_an_empty_filter_form_redirects_to_a_short_stable_address(market, client):
    response = client.get("/patents/?mode=&price=&city=ningbo&section=")
    assert response.status_code == 302 and response["Location"] == "/patents/?city=ningbo"
    assert client.get("/patents/?mode=&sort=").headers["Location"] == "/patents/"


@pytest.mark.parametrize(
    "query",
    [
        "?mode=barter",
        "?patent_type=<script>alert(1)</script>",
        "?section=Z",
        "?section=HH",
        "?ipc_class=ZZZ",
        "?ipc_class=" + "H" * 5000,
        "?ipc_class=H01M%204/525",
        "?legal_status=expired",
        "?price=-1",
        "?price=100k_1m%00",
        "?city=atlantis",
        "?centre=abc",
        "?centre=999999",
        "?centre=1;DROP%20TABLE%20listings_listing",
        "?seller_type=agency",
        "?term=99",
        "?term=five",
        "?sort=password",
        "?page=abc",
        "?page=-3",
        "?page=99999",
        "?page=1e9",
        "?mode=licence&mode=transfer",
        "?unknown=1",
        "?city=%ff%fe",
    ],
)
def test_garbage_query_parameters_are_ignored_never_an_error(market, client, query):
    response = client.get("/patents/" + query)
    assert response.status_code == 200


def test_an_invalid_filter_is_ignored_while_the_valid_ones_still_apply(market, client):
    response = client.get("/patents/?mode=barter&city=wenzhou")
    assert titles_on(response) == ["Anti-corrosion coating"]
    assert "were not understood" in response.text


def test_no_match_shows_an_empty_state_that_suggests_clearing_filters(market, client):
    response = client.get("/patents/?city=lishui")
    assert titles_on(response) == []
    assert "No listing matches all of these filters" in response.text
    assert "Clear all filters" in response.text


def test_the_filter_form_works_without_javascript_and_labels_every_option(market, client):
    text = client.get("/patents/").text
    form = text[text.index('<form method="get"') : text.index("</form>", text.index('<form method="get"'))]
    assert form.count("<fieldset") == form.count("<legend>") == 10
    for option_id in re.findall(r'<input type="radio" id="([^"]+)"', form):
        assert f'<label for="{option_id}">' in form
    assert '<button type="submit"' in form
    assert "<script" not in form


def test_browse_queries_do_not_grow_with_the_number_of_listings(market, world, client):
    def queries_for_browse() -> int:
        cache.clear()
        forget_centre_tree()  # cold as well: the centres are kept in the process, not in the cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/patents/").status_code == 200
        return len(captured)

    before = queries_for_browse()
    for number in range(15):
        make_listing(
            seller=world.university,
            title=f"More {number}",
            patents=[make_patent(), make_patent(patent_type="utility_model")],
            terms=[{"mode": "licence", "upfront_fee_fen": WAN}, {"mode": "transfer", "price_fen": 2 * WAN}],
        )
    assert queries_for_browse() == before


# --- One listing ------------------------------------------------------------------------------------------------


def test_the_detail_page_reads_in_plain_language_first(market, client):
    response = client.get(f"/patents/{market.battery.pk}/")
    assert response.status_code == 200
    text = response.text
    assert "A cathode that lets electric cars drive 20% further on one charge." in text
    assert "Energy density" in text and "300 Wh/kg" in text and "250 Wh/kg in today&#x27;s cells" in text
    assert "Pilot / field tested" in text and "Electric vehicles; energy storage" in text
    assert "1,500 cycles" in text
    # Money in 万元 and in yuan, from integer fen.
    assert "30万元" in text and "¥300,000" in text
    patent = market.battery.patents.get()
    assert f"ZL{patent.application_number}" in text
    assert "16 years" in text
    assert "H01M 4/525</code> · Electricity" in text
    assert "<details>" in text and "1. 一种正极材料" in text
    main = text[text.index("<main") :]
    assert main.index("What it does") < main.index("Deal terms") < main.index(patent.application_number)


def test_a_pending_application_is_clearly_marked_with_the_term_it_would_have(market, client):
    text = client.get(f"/patents/{market.portfolio.pk}/").text
    pending = market.portfolio.patents.get(legal_status="examination")
    assert f"CN{pending.application_number}" in text
    assert "Pending application — not yet granted" in text
    assert "Remaining term (if granted)" in text
    assert "18 years" in text and "12 years" in text
    assert "600万元" in text and "3.50% of sales" in text


def test_the_detail_page_has_a_canonical_url_and_a_description(market, client):
    text = client.get(f"/patents/{market.battery.pk}/?utm_source=wechat").text
    assert f'<link rel="canonical" href="http://testserver/patents/{market.battery.pk}/">' in text
    assert '<meta name="description" content="A cathode that lets electric cars drive 20% further' in text
    assert "noindex" not in text


def json_ld(text: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_the_detail_page_carries_schema_org_product_data(market, client):
    data = json_ld(client.get(f"/patents/{market.battery.pk}/").text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == "Solid-state battery cathode"
    assert data["identifier"] == [market.battery.patents.get().application_number]
    assert data["brand"]["name"] == "宁波大学"
    assert data["offers"] == {
        "@type": "Offer",
        "price": "300000",
        "priceCurrency": "CNY",
        "url": f"http://testserver/patents/{market.battery.pk}/",
        "availability": "https://schema.org/InStock",
        "seller": {"@type": "Organization", "name": "宁波大学"},
    }
    assert "offers" not in json_ld(client.get(f"/patents/{market.network.pk}/").text)


def test_a_malicious_title_cannot_break_out_of_the_json_ld_script(market, client):
    market.battery.title = '</script><script>alert("x")</script>'
    market.battery.summary = "<!-- & </SCRIPT> -->"
    market.battery.save()
    text = client.get(f"/patents/{market.battery.pk}/").text
    assert "<script>alert" not in text
    data = json_ld(text)
    assert data["name"] == '</script><script>alert("x")</script>'
    assert data["description"] == "<!-- & </SCRIPT> -->"


def test_a_closed_listing_stays_readable_and_is_marked_closed(market, client):
    response = client.get(f"/patents/{market.closed.pk}/")
    assert response.status_code == 200
    assert "This listing is closed." in response.text and "Transferred" in response.text
    assert "Log in to enquire" not in response.text


@pytest.mark.parametrize("who", [None, "outsider", "stranger", "buyer", "hangzhou_broker", "alliance_broker"])
def test_a_draft_is_hidden_from_everyone_but_its_seller_and_hosting_centre(market, world, client, who):
    if who:
        client.force_login(getattr(world, who))
    assert client.get(f"/patents/{market.draft.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["seller", "ningbo_broker", "root_staff"])
def test_the_seller_and_the_hosting_centre_see_a_draft_with_a_status_banner(market, world, client, who):
    client.force_login(getattr(world, who))
    response = client.get(f"/patents/{market.draft.pk}/")
    assert response.status_code == 200
    assert "Not public — status: Draft." in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_submitted_and_paused_listings_show_their_status_to_the_seller(market, world, client):
    client.force_login(world.seller)
    assert "Paused" in client.get(f"/patents/{market.paused.pk}/").text
    assert client.get(f"/patents/{market.submitted.pk}/").status_code == 404  # another organisation's
    client.force_login(world.hangzhou_broker)
    assert "Submitted for review" in client.get(f"/patents/{market.submitted.pk}/").text


def test_an_unknown_listing_is_404(market, client):
    assert client.get("/patents/999999/").status_code == 404


def _enquiry_stand_in(request, listing_pk):
    return HttpResponse("enquiry")


class SiteWithoutEnquiries:
    """The site's URLs before the negotiations app offers an enquiry page."""

    urlpatterns = [url for url in site_urls.urlpatterns if getattr(url, "namespace", None) != "negotiations"]


class SiteWithEnquiries:
    urlpatterns = [
        *SiteWithoutEnquiries.urlpatterns,
        path(
            "negotiations/",
            include(([path("enquire/<int:listing_pk>/", _enquiry_stand_in, name="enquire")], "negotiations")),
        ),
    ]


def test_without_an_enquiry_page_an_anonymous_visitor_is_invited_to_log_in_and_no_link_breaks(market, client, settings):
    settings.ROOT_URLCONF = SiteWithoutEnquiries
    text = client.get(f"/patents/{market.battery.pk}/").text
    assert f'href="/accounts/login/?next=/patents/{market.battery.pk}/"' in text
    assert "Log in to enquire" in text and ">Enquire</a>" not in text


def test_the_enquire_button_links_to_the_enquiry_page_once_it_exists(market, world, client, settings):
    settings.ROOT_URLCONF = SiteWithEnquiries
    enquiry = f"/negotiations/enquire/{market.battery.pk}/"
    text = client.get(f"/patents/{market.battery.pk}/").text
    assert f'href="/accounts/login/?next={enquiry}"' in text and ">Enquire</a>" in text
    client.force_login(world.buyer)
    assert f'href="{enquiry}"' in client.get(f"/patents/{market.battery.pk}/").text
    assert "enquire/" not in client.get(f"/patents/{market.closed.pk}/").text


def test_the_seller_is_shown_with_a_verified_badge_and_the_hosting_centre(market, world, client):
    text = client.get(f"/patents/{market.battery.pk}/").text
    assert f'href="/organisations/{world.university.pk}/">宁波大学</a>' in text
    assert "Verified" in text
    assert world.ningbo.name in text


# --- Money formatting -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [(1234500, "¥12,345"), (1234550, "¥12,345.50"), (0, "¥0"), (5, "¥0.05"), (None, "")],
)
def test_fen_to_yuan(fen, yuan):
    assert fen_to_yuan(fen) == yuan


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (500_000_000, "500万元"),
        (10 * WAN, "10万元"),
        (12_345_600, "12.35万元"),
        (500_000, "5,000元"),
        (15_000_000_000, "1.5亿元"),
        (None, ""),
    ],
)
def test_yuan_wan(fen, text):
    assert yuan_wan(fen) == text


# --- Sitemap ----------------------------------------------------------------------------------------------------


def test_the_sitemap_lists_published_listings_only(market, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = set(re.findall(r"<loc>http://testserver/patents/(\d+)/</loc>", response.text))
    assert locations == {str(listing.pk) for listing in market.published}
    assert "<lastmod>" in response.text
