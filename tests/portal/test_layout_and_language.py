import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_home_page_is_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.text
    assert "首页" in response.text and "我的工作台" in response.text


def test_a_visitor_switches_to_english_from_any_page_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/centres/"})
    assert response.status_code == 302 and response["Location"] == "/centres/"
    page = client.get("/centres/")
    assert '<html lang="en">' in page.text
    assert "My workspace" in page.text
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "我的工作台" in client.get("/").text


def test_every_page_has_landmarks_a_skip_link_and_a_labelled_language_switch(client):
    text = client.get("/").text
    for landmark in ('role="banner"', "<nav", '<main id="main"', 'role="contentinfo"'):
        assert landmark in text
    assert 'href="#main"' in text
    assert '<label for="language-select"' in text


def test_the_main_navigation_links_home_and_the_workspace(client):
    text = client.get("/").text
    nav = text[text.index("<nav") : text.index("</nav>")]
    assert 'href="/"' in nav and 'href="/workspace/"' in nav


def test_pages_load_no_script_style_or_font_from_another_host(client, world):
    for url in ["/", "/centres/", "/organisations/", "/accounts/login/", "/accounts/signup/"]:
        text = client.get(url).text
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:)?//', text)
        assert external == [], url


def test_the_chinese_catalogue_translates_every_message():
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_an_english_browser_still_gets_chinese_until_the_visitor_switches(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-Hans">' in page.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").text


def test_a_broker_is_not_asked_to_register_an_organisation_and_a_newcomer_hears_of_both_ways_in(client_for, world):
    from tests.factories import UserFactory

    broker_page = client_for(world.ningbo_broker).get("/workspace/").text
    assert "注册机构" not in broker_page
    assert "您在运营中心工作" in broker_page

    newcomer_page = client_for(UserFactory()).get("/workspace/").text
    assert "注册机构" in newcomer_page
    assert "请运营中心管理员将其添加为中心工作人员" in newcomer_page


def language_switch_labels(html: str) -> list[str]:
    switch = re.search(r'<select id="language-select".*?</select>', html, re.S).group(0)
    return re.findall(r"<option [^>]*>([^<]*)</option>", switch)


def test_the_language_switch_names_each_language_in_itself_on_chinese_and_english_pages(client):
    assert language_switch_labels(client.get("/").text) == ["简体中文", "English"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english_page = client.get("/").text
    assert '<html lang="en">' in english_page
    assert language_switch_labels(english_page) == ["简体中文", "English"]
    assert "英语" not in language_switch_labels(client.get("/").text)


@pytest.fixture
def a_listing_in_two_negotiations(world):
    from deals.services.negotiations import negotiation_open
    from tests.factories import listing_on_market

    listing = listing_on_market(
        seller=world.university,
        seller_user=world.seller,
        broker=world.ningbo_broker,
        licence={"licence_types": ["ordinary"], "term_years": 5, "express_ordinary": True},
        terms=[{"mode": "transfer", "price_fen": 200_000_000}],
    )
    for mode in ("licence", "transfer"):
        negotiation_open(listing=listing, mode=mode, actor=world.buyer, buyer=world.enterprise, message="")
    return listing


def test_the_negotiations_list_says_next_step_in_its_column_and_next_page_in_its_pagination(
    client_for, world, a_listing_in_two_negotiations, monkeypatch
):
    monkeypatch.setattr("deals.views.room.NEGOTIATIONS_PER_PAGE", 1)
    client = client_for(world.buyer)
    chinese = client.get("/deals/negotiations/").text
    assert '<th scope="col">下一步</th>' in chinese
    assert 'rel="next">下一页</a>' in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/deals/negotiations/").text
    assert '<th scope="col">Next step</th>' in english
    assert 'rel="next">Next</a>' in english


def test_a_licence_term_is_a_duration_but_the_column_of_changed_terms_is_headed_clause(
    client_for, world, a_listing_in_two_negotiations
):
    from deals.models import Negotiation
    from deals.services.negotiations import offer_propose

    enquiry = client_for(world.buyer).get(f"/deals/negotiations/enquire/{a_listing_in_two_negotiations.pk}/").text
    assert "<dt>期限</dt>" in enquiry

    negotiation = Negotiation.objects.get(listing=a_listing_in_two_negotiations, mode="licence")
    terms = {"licence_type": "ordinary", "term_years": 5, "upfront_fee_fen": 5_000_000, "payment_mode": "fixed"}
    offer_propose(negotiation=negotiation, actor=world.buyer, terms=terms)
    offer_propose(negotiation=negotiation, actor=world.seller, terms={**terms, "term_years": 8})
    room = client_for(world.seller).get(f"/deals/negotiations/{negotiation.pk}/").text
    changes = re.search(r'<table class="table offer-changes">.*?</table>', room, re.S).group(0)
    assert '<th scope="col">条款</th>' in changes
    assert "期限（年）" in changes


def test_a_submitted_listing_is_counted_as_awaiting_review_and_listed_with_its_submission_time(client_for, world):
    from tests.factories import ListingFactory

    listing = ListingFactory(seller=world.university)
    client_for(world.seller).post(f"/patents/workspace/{listing.pk}/status/", {"to_status": "submitted"})

    workspace = client_for(world.seller).get("/workspace/").text
    assert "待审核: 1" in workspace
    assert "提交时间" not in workspace

    queue = client_for(world.ningbo_broker).get("/patents/moderation/").text
    assert '<th scope="col">提交时间</th>' in queue
