"""A buyer reads one listing and downloads its documents; search engines index the listings (sitemap)."""

import json
import re

import pytest
from django.conf import settings as project_settings
from django.http import HttpResponse
from django.urls import include, path

from config import urls as site_urls
from listings.models import Listing
from listings.pricing import (
    PRICE_ANNOTATION,
    display_price_fen,
    price_band_of,
    with_display_price,
)
from listings.selectors import listings_on_market
from listings.templatetags.listing_tags import fen_to_yuan, yuan_wan
from tests.factories import sign_in
from tests.listings.market import WAN, Market, build_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[project_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def market(world, english) -> Market:
    return build_market(world)


def test_a_listings_price_is_the_same_in_python_and_in_sql(market):
    for listing in with_display_price(listings_on_market()):
        assert display_price_fen(listing) == getattr(listing, PRICE_ANNOTATION), listing.title
    assert price_band_of(display_price_fen(market.portfolio)).value == "1m_10m"  # its asking price, not the 1200万
    assert price_band_of(display_price_fen(market.network)).value == "negotiable"


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


def test_an_english_reader_sees_the_sellers_english_version_with_the_chinese_title_beside_it(market, client):
    Listing.objects.filter(pk=market.battery.pk).update(
        title="高镍固态电池正极", title_en="High-nickel solid-state battery cathode", summary_en=""
    )

    english = client.get(f"/patents/{market.battery.pk}/").text
    assert '<h1 lang="en">High-nickel solid-state battery cathode</h1>' in english
    assert '<p class="subtitle" lang="zh-Hans">高镍固态电池正极</p>' in english
    assert "<title>High-nickel solid-state battery cathode" in english
    assert "The seller wrote this summary in Chinese only." in english  # no English summary: the Chinese one, marked

    client.cookies[project_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(f"/patents/{market.battery.pk}/").text
    assert '<h1 lang="zh-Hans">高镍固态电池正极</h1>' in chinese
    assert "High-nickel" not in chinese


def test_a_listing_without_english_is_marked_chinese_only_on_the_english_site(market, client):
    Listing.objects.filter(pk=market.battery.pk).update(title="高镍固态电池正极", title_en="")
    page = client.get(f"/patents/{market.battery.pk}/").text
    assert re.search(
        r'<h1 lang="zh-Hans">高镍固态电池正极 <span class="badge badge-language">Chinese only</span></h1>', page
    )


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
        sign_in(client, getattr(world, who))
    assert client.get(f"/patents/{market.draft.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["seller", "ningbo_broker", "root_staff"])
def test_the_seller_and_the_hosting_centre_see_a_draft_with_a_status_banner(market, world, client, who):
    sign_in(client, getattr(world, who))
    response = client.get(f"/patents/{market.draft.pk}/")
    assert response.status_code == 200
    assert "Not public — status: Draft." in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_submitted_and_paused_listings_show_their_status_to_the_seller(market, world, client):
    sign_in(client, world.seller)
    assert "Paused" in client.get(f"/patents/{market.paused.pk}/").text
    assert client.get(f"/patents/{market.submitted.pk}/").status_code == 404  # another organisation's
    sign_in(client, world.hangzhou_broker)
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
    sign_in(client, world.buyer)
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
