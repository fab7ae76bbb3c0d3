"""User text is shown as text: script payloads in listings, patents, organisation names, negotiation messages,
saved searches and CMS pages come out escaped (or stripped, for CMS rich text), everywhere they are shown.

Also every place the project marks HTML as safe itself (grep: mark_safe, |safe, |richtext, json_script,
autoescape off) is exercised here: the JSON-LD block of a listing, the search highlighter (database and
Elasticsearch), CMS rich text and the dashboard's data island."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client
from django.urls import reverse

from listings.models import ListingBenefit
from search.text import highlight
from tests.factories import ListingFactory, PatentFactory, listing_publish, sign_in

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT}{IMG}{JS_URL}"


def assert_inert(html: str, *, shown: bool = True) -> None:
    """No payload is live: no script element or handler attribute of ours, no javascript: link. With `shown`,
    the payload is on the page as text (so the check looked at the right page)."""
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html.replace("&gt;", ">").split("&lt;img")[0]
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    if shown:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def hostile_listing(world, backend, django_capture_on_commit_callbacks):
    """A published listing whose every free-text field carries the payloads, from a seller named like one."""
    world.university.name = f"宁波大学{IMG}"
    world.university.save()
    patent = PatentFactory(
        title=f"锂电池专利{SCRIPT}",
        abstract=f"摘要{PAYLOAD}",
        first_claim=f"1. 权利要求{PAYLOAD}",
        inventors=[f"张伟{SCRIPT}"],
        owners=[world.university],
    )
    listing = ListingFactory(
        seller=world.university,
        with_patent=patent,
        title=f"锂电池正极材料{SCRIPT}",
        summary=f"能量密度提高{PAYLOAD} alert",
        application_fields=f"动力电池{IMG}",
        comparison=f"对比{PAYLOAD}",
        created_by=world.seller,
    )
    # The unit holds 30 characters (PostgreSQL refuses more): the payload without its leading quote and bracket.
    ListingBenefit.objects.create(listing=listing, metric=f"能量密度{SCRIPT}", value=300, unit=IMG[2:])
    with django_capture_on_commit_callbacks(execute=True):
        listing_publish(listing, seller_user=world.seller, broker=world.ningbo_broker)
    listing.refresh_from_db()
    return listing


# --- Listings: detail, browse, search, workspace -----------------------------------------------------------------


@pytest.mark.django_db
def test_listing_text_is_escaped_on_the_public_pages(hostile_listing, client):
    detail = page(client, hostile_listing.get_absolute_url())
    assert_inert(detail)
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail
    assert_inert(page(client, "/patents/"))
    assert_inert(page(client, "/"), shown=False)
    assert_inert(page(client, f"/organisations/{hostile_listing.seller_id}/"), shown=False)
    assert_inert(page(client, "/organisations/"), shown=False)


@pytest.mark.django_db
def test_the_json_ld_block_cannot_be_closed_by_a_title(hostile_listing, client):
    detail = page(client, hostile_listing.get_absolute_url())
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', detail, re.DOTALL).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["name"] == hostile_listing.title  # still the same data for search engines


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["锂电池", "alert", "script", "img onerror", SCRIPT, IMG, JS_URL])
def test_search_results_highlight_without_letting_html_through(hostile_listing, client, query):
    html = page(client, f"/patents/?q={quote(query)}")
    assert_inert(html, shown=False)
    assert '"><img' not in html


@pytest.mark.django_db
def test_the_search_highlighter_finds_the_listing_and_marks_only_the_match(hostile_listing, client):
    html = page(client, "/patents/?q=alert")
    assert "<mark>alert</mark>" in html
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in html


def test_the_highlighter_escapes_text_around_and_inside_matches():
    assert highlight(SCRIPT, "script") == "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"
    assert "<img" not in highlight(IMG, "img onerror")
    assert "<" not in highlight(PAYLOAD, "", max_chars=20).replace("…", "")


def test_elasticsearch_fragments_are_escaped_like_the_database_highlighter():
    from search.backends.elasticsearch import clean_highlight

    # What Elasticsearch's html encoder sends back for the title, and a fragment from a misconfigured cluster.
    encoded = "&lt;script&gt;<mark>alert</mark>(1)&lt;&#x2F;script&gt;"
    assert clean_highlight(encoded) == "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"
    assert "<script" not in clean_highlight("<script><mark>alert</mark>(1)</script>")
    assert "<img" not in clean_highlight('<mark>x</mark>"><img src=x onerror=alert(1)>')


@pytest.mark.django_db
def test_listing_text_is_escaped_in_the_seller_workspace_and_the_moderation_pages(hostile_listing, client, world):
    sign_in(client, world.seller)
    assert_inert(page(client, "/patents/workspace/"))
    edit = page(client, f"/patents/workspace/{hostile_listing.pk}/")
    assert_inert(edit)
    assert 'value="' + IMG not in edit  # form values are escaped too
    assert_inert(page(client, f"/patents/workspace/{hostile_listing.pk}/terms/"), shown=False)
    sign_in(client, world.ningbo_broker)
    assert_inert(page(client, f"/patents/moderation/{hostile_listing.pk}/"))


# --- Negotiations: the room page, the JSON poll, the socket ------------------------------------------------------


@pytest.mark.django_db
def test_negotiation_messages_are_escaped_in_the_room_and_the_lists(hostile_listing, client, world):
    sign_in(client, world.buyer)
    response = client.post(
        reverse("negotiations:enquire", args=[hostile_listing.pk]),
        {"mode": "licence", "buyer": world.enterprise.pk, "message": f"询价{PAYLOAD}"},
    )
    assert response.status_code == 302
    room = response["Location"]
    client.post(f"{room}messages/", {"body": f"第二条{PAYLOAD}"})
    for person in (world.buyer, world.seller, world.ningbo_broker):
        sign_in(client, person)
        assert_inert(page(client, room))
        assert_inert(page(client, "/deals/negotiations/"), shown=False)
    history = client.get(f"{room}history.json")
    assert history["Content-Type"] == "application/json"
    assert f"第二条{PAYLOAD}" in [message["body"] for message in history.json()["messages"]]


def test_the_room_and_notification_scripts_put_text_in_with_text_content_only():
    for script in Path(settings.BASE_DIR, "static", "js").glob("*.js"):
        source = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{script.name} uses {sink}"


@pytest.mark.django_db(transaction=True)
async def test_the_socket_broadcasts_message_text_as_data_for_text_content(world, on_market):
    from deals.services.negotiations import negotiation_open
    from tests.deals.test_room_socket import join, next_room_event

    negotiation = await database_sync_to_async(negotiation_open)(
        listing=on_market, mode="licence", actor=world.buyer, buyer=world.enterprise
    )
    buyer = await join(world.buyer, negotiation)
    seller = await join(world.seller, negotiation)
    await buyer.send_json_to({"type": "message", "body": PAYLOAD})
    event = await next_room_event(seller)
    # Delivered exactly as written, as a JSON string: the page's script shows it with textContent.
    assert event["body"] == PAYLOAD and event["kind"] == "text"
    await buyer.disconnect()
    await seller.disconnect()
    html = await sync_to_async(_room_page)(world.seller, negotiation.pk)
    assert_inert(html)


def _room_page(user, pk: int) -> str:
    client = Client()
    sign_in(client, user)
    return page(client, f"/deals/negotiations/{pk}/")


# --- Deals: the contract names the parties ------------------------------------------------------------------------


@pytest.mark.django_db
def test_party_names_are_escaped_in_the_deal_and_the_contract(hostile_listing, client, world):
    from deals.services.negotiations import express_licence_take
    from listings.models import ListingTerms

    ListingTerms.objects.filter(listing=hostile_listing, mode="licence").update(express_ordinary=True, term_years=5)
    deal = express_licence_take(listing=hostile_listing, actor=world.buyer, buyer=world.enterprise)
    sign_in(client, world.buyer)
    for url in (f"/deals/{deal.pk}/", f"/deals/{deal.pk}/contract/"):
        html = page(client, url)
        assert_inert(html, shown=False)
        assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the seller's name, as text
    assert_inert(page(client, "/deals/"), shown=False)
    assert_inert(page(client, f"/payments/deals/{deal.pk}/"), shown=False)


# --- Saved searches and messages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_saved_search_name_is_escaped_in_the_message_and_the_list(world, client, backend):
    sign_in(client, world.buyer)
    response = client.post("/search/save/", {"q": "锂电池", "name": f"我的{SCRIPT}"}, follow=True)
    assert_inert(response.content.decode())
    assert_inert(page(client, "/search/saved/"))
    assert_inert(page(client, "/workspace/"))


# --- Organisations: links must be web links ------------------------------------------------------------------------


def test_an_organisation_website_must_be_a_web_address():
    from marketplace.organisations.forms import OrganisationRegisterForm

    for address in (JS_URL, "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>"):
        form = OrganisationRegisterForm({"website": address})
        form.is_valid()
        assert "website" in form.errors, address


# --- CMS -------------------------------------------------------------------------------------------------------


def contentstate(text: str, url: str) -> str:
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 4, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


def test_cms_rich_text_from_the_editor_keeps_no_script_and_no_javascript_link():
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    converter = ContentstateConverter(features=["bold", "italic", "link"])
    for url in (JS_URL, " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x"):
        html = converter.to_database_format(contentstate(f"点击这里{SCRIPT}{IMG}", url))
        assert "<script" not in html and "<img" not in html, html
        assert "javascript" not in html.lower().replace("\t", "") and "data:" not in html, html


def test_cms_links_in_blocks_must_be_site_paths_or_web_addresses():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from cms.blocks import LinkBlock

    block = LinkBlock()
    for url in (JS_URL, "//evil.example/", "data:text/html,x"):
        with pytest.raises(StructBlockValidationError):
            block.clean(block.to_python({"label": "x", "page": None, "url": url}))


@pytest.mark.django_db
def test_cms_pages_escape_titles_and_summaries_and_render_editor_html_only(client):
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    from tests.cms.conftest import make_article, make_home, make_index

    body = ContentstateConverter(features=["bold", "italic", "link"]).to_database_format(
        contentstate(f"点击这里{SCRIPT}", JS_URL)
    )
    home = make_home()
    index = make_index(home)
    article = make_article(index, title=f"政策{SCRIPT}", summary=f"摘要{IMG}")
    article.body = [{"type": "paragraph", "value": body}]
    article.save_revision().publish()
    assert_inert(page(client, article.url))
    assert_inert(page(client, index.url))
    feed = client.get("/policy/feed/").content.decode()
    assert "<script>" not in feed and "<img" not in feed
    assert_inert(page(client, f"/patents/?q={SCRIPT}"), shown=False)


# --- Redirects go to this site only ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", JS_URL, "/\\evil.example/"])
def test_the_verify_button_does_not_redirect_off_the_site(world, client, target):
    sign_in(client, world.ningbo_broker)
    response = client.post(f"/organisations/{world.university.pk}/verify/", {"verified": "1", "next": target})
    assert response.status_code == 302 and response["Location"] == "/organisations/verification/"


@pytest.mark.django_db
def test_the_verify_button_goes_back_to_a_page_of_the_site(world, client):
    sign_in(client, world.ningbo_broker)
    back = f"/organisations/{world.university.pk}/"
    response = client.post(f"/organisations/{world.university.pk}/verify/", {"verified": "1", "next": back})
    assert response["Location"] == back


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", JS_URL])
def test_logging_in_does_not_redirect_off_the_site(world, client, target):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        "/accounts/login/", {"username": world.buyer.email, "password": TEST_PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/workspace/"
