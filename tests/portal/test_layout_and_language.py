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
