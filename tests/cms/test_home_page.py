"""The CMS home page at "/" and its blocks."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cms import blocks
from cms.demo import seed_cms_demo
from cms.demo.content import ARTICLES, HOME_HERO
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def external_assets(text: str) -> list[str]:
    return re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="((?:https?:)?//[^"]*)"', text)


def published_listing(title: str, days_ago: int = 0):
    return ListingFactory(
        title=title, status="published", published_at=timezone.now() - timezone.timedelta(days=days_ago)
    )


def test_without_a_cms_home_page_the_built_in_home_page_is_served(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("portal:home") == "/"
    assert "cms-home" not in response.text


def test_the_demo_home_page_at_the_root_shows_the_hero_and_the_latest_policy_news_with_no_outside_script(client):
    seed_cms_demo()
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    text = response.text
    assert '<html lang="zh-Hans">' in text
    assert f"<h1>{HOME_HERO['heading']}</h1>" in text
    newest = sorted(ARTICLES, key=lambda article: article.publish_date, reverse=True)[:5]
    for article in newest:
        assert article.title in text
    assert 'href="/policy/"' in text and 'href="/about/"' in text
    assert external_assets(text) == []
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', text)
    assert all(src.startswith("/static/") for src in scripts), scripts


def test_the_live_indicators_block_asks_the_indicators_api_and_links_the_dashboard(monkeypatch):
    # Stand-ins for the indicators app's URL names, so the test does not depend on that app's state.
    monkeypatch.setattr(blocks, "INDICATOR_HEADLINE_URL_NAMES", ("indicators:nothing_here", "healthz"))
    monkeypatch.setattr(blocks, "INDICATOR_DASHBOARD_URL_NAME", "portal:workspace")
    block = blocks.LiveIndicatorsBlock()
    html = block.render(block.to_python({"heading": "平台实时指标", "intro": "", "refresh_seconds": 30}))
    assert "data-indicators-live" in html
    assert 'data-indicators-url="/healthz"' in html
    assert 'data-indicators-socket="/ws/indicators/"' in html
    assert 'data-refresh-seconds="30"' in html
    assert 'data-indicator="turnover_fen"' in html
    assert '<script src="/static/cms/js/live-indicators.js" defer></script>' in html
    assert 'href="/workspace/"' in html


def test_the_live_indicators_block_fetches_the_figures_as_json_not_a_redirect(client):
    block = blocks.LiveIndicatorsBlock()
    html = block.render(block.to_python({"heading": "", "intro": "", "refresh_seconds": 60}))
    url = re.search(r'data-indicators-url="([^"]+)"', html).group(1)
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    figures = response.json()["total"]
    assert {key: figures[key] for key, _label in blocks.HEADLINE_FIGURES} == {
        "turnover_fen": 0,
        "licensing_contracted_fen": 0,
        "deals": 0,
    }


def test_without_an_indicators_api_the_live_block_is_a_link_to_the_dashboard(monkeypatch):
    monkeypatch.setattr(blocks, "INDICATOR_HEADLINE_URL_NAMES", ("indicators:nothing_here",))
    monkeypatch.setattr(blocks, "INDICATOR_DASHBOARD_URL_NAME", "portal:workspace")
    block = blocks.LiveIndicatorsBlock()
    html = block.render(block.to_python({"heading": "", "intro": "", "refresh_seconds": 60}))
    assert "data-indicators-live" not in html and "<script" not in html
    assert 'href="/workspace/"' in html


def test_without_indicators_at_all_the_live_block_renders_nothing(monkeypatch):
    monkeypatch.setattr(blocks, "INDICATOR_HEADLINE_URL_NAMES", ("indicators:nothing_here",))
    monkeypatch.setattr(blocks, "INDICATOR_DASHBOARD_URL_NAME", "indicators:nothing_either")
    block = blocks.LiveIndicatorsBlock()
    assert block.render(block.to_python({"heading": "", "intro": "", "refresh_seconds": 60})).strip() == ""


def test_featured_listings_show_the_newest_on_the_market_or_the_chosen_ones_in_order():
    old = published_listing("较早上架的专利", days_ago=5)
    new = published_listing("最新上架的专利", days_ago=1)
    ListingFactory(title="草稿专利", status="draft")
    block = blocks.FeaturedListingsBlock()

    newest = block.render(block.to_python({"selection": "newest", "listing_ids": [], "count": 4, "heading": ""}))
    assert newest.index("最新上架的专利") < newest.index("较早上架的专利")
    assert "草稿专利" not in newest

    chosen = block.render(
        block.to_python({"selection": "chosen", "listing_ids": [old.pk, new.pk], "count": 4, "heading": "推荐"})
    )
    assert chosen.index("较早上架的专利") < chosen.index("最新上架的专利")
    assert f'href="{old.get_absolute_url()}"' in chosen


def test_chosen_listings_must_be_on_the_market():
    on_market = published_listing("在售专利")
    draft = ListingFactory(status="draft")
    block = blocks.FeaturedListingsBlock()
    ok = block.to_python({"selection": "chosen", "listing_ids": [on_market.pk], "count": 4, "heading": ""})
    assert block.clean(ok)
    with pytest.raises(ValidationError) as refused:
        block.clean(block.to_python({"selection": "chosen", "listing_ids": [draft.pk], "count": 4, "heading": ""}))
    assert str(draft.pk) in str(refused.value.block_errors["listing_ids"])
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"selection": "chosen", "listing_ids": [], "count": 4, "heading": ""}))


@pytest.mark.parametrize(
    ("url", "valid"),
    [("/patents/", True), ("https://www.cnipa.gov.cn/", True), ("//evil.example/", False), ("javascript:x", False)],
)
def test_a_link_needs_a_page_or_a_safe_address(url, valid):
    block = blocks.LinkBlock()
    value = block.to_python({"label": "链接", "page": None, "url": url})
    if valid:
        assert block.clean(value)["url"] == url
    else:
        with pytest.raises(ValidationError):
            block.clean(value)
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"label": "链接", "page": None, "url": ""}))


def test_a_home_page_without_a_hero_still_has_a_main_heading(client, home):
    home.body = [{"type": "rich_text", "value": "<p>欢迎</p>"}]
    home.save_revision().publish()
    assert f'<h1 class="visually-hidden">{home.title}</h1>' in client.get("/").text
