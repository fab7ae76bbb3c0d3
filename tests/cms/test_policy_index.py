"""The policy index: filters, Chinese search, pagination, and the stable URL the navigation links to."""

import datetime
import re

import pytest
from django.urls import reverse

from cms.models import POLICY_NEWS_PER_PAGE
from tests.cms.conftest import make_article, make_index

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'class="policy-item-title"><a href="[^"]+"[^>]*>([^<]+)</a>', response.text)


@pytest.fixture
def articles(policy_index):
    return {
        "licence": make_article(
            policy_index,
            title="高校专利转化新规",
            summary="鼓励高校以许可方式对外扩散知识产权。",
            body_text="转让和作价入股作为补充。",
            level="provincial",
            category="transfer",
            publish_date=datetime.date(2017, 6, 8),
            tags=["高校", "许可"],
        ),
        "pledge": make_article(
            policy_index,
            title="质押融资贷款额目标",
            summary="到2020年知识产权质押融资贷款额达到150亿元。",
            level="provincial",
            category="finance",
            publish_date=datetime.date(2018, 4, 20),
            tags=["质押融资"],
        ),
        "navigation": make_article(
            policy_index,
            title="新材料产业专利导航",
            summary="用专利分析服务产业决策。",
            body_text="石墨和烯类材料的专利布局。",
            level="city",
            category="navigation",
            publish_date=datetime.date(2022, 9, 6),
            tags=["专利导航"],
        ),
        "open_licence": make_article(
            policy_index,
            title="专利开放许可制度",
            summary="书面通知并付费即可获得普通许可。",
            level="national",
            category="operation",
            publish_date=datetime.date(2020, 10, 17),
            document_number="演示-国〔2020〕09号",
            tags=["许可"],
        ),
    }


def test_the_index_lists_published_articles_newest_first(client, policy_index, articles):
    make_article(policy_index, title="尚未发布的草稿", publish=False)
    response = client.get(policy_index.url)
    assert response.status_code == 200
    assert titles(response) == ["新材料产业专利导航", "专利开放许可制度", "质押融资贷款额目标", "高校专利转化新规"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "national"}, ["专利开放许可制度"]),
        ({"level": "provincial"}, ["质押融资贷款额目标", "高校专利转化新规"]),
        ({"category": "finance"}, ["质押融资贷款额目标"]),
        ({"year": "2018"}, ["质押融资贷款额目标"]),
        ({"level": "provincial", "year": "2017"}, ["高校专利转化新规"]),
    ],
)
def test_filters_narrow_the_list(client, policy_index, articles, query, expected):
    assert titles(client.get(policy_index.url, query)) == expected


def test_a_tag_filters_and_the_tag_list_links_to_it(client, policy_index, articles):
    tag_slug = articles["licence"].tags.get(name="许可").slug
    response = client.get(policy_index.url, {"tag": tag_slug})
    assert titles(response) == ["专利开放许可制度", "高校专利转化新规"]
    assert "tag=%E8%AE%B8%E5%8F%AF" in client.get(policy_index.url).text


def test_unknown_filter_values_are_ignored_rather_than_failing(client, policy_index, articles):
    response = client.get(policy_index.url, {"year": "abc", "level": "galactic", "page": "99"})
    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_chinese_search_finds_an_article_about_licensing(client, policy_index, articles):
    found = titles(client.get(policy_index.url, {"q": "知识产权许可"}))
    assert "高校专利转化新规" in found
    assert "质押融资贷款额目标" not in found
    assert "新材料产业专利导航" not in found


def test_search_matches_words_inside_longer_words_and_english_typing_of_numbers(client, policy_index, articles):
    assert titles(client.get(policy_index.url, {"q": "产权"})) == ["质押融资贷款额目标", "高校专利转化新规"]
    assert titles(client.get(policy_index.url, {"q": "150"})) == ["质押融资贷款额目标"]


def test_a_word_jieba_splits_is_searched_as_a_phrase_not_as_loose_characters(client, policy_index, articles):
    # 石墨烯 is in the domain dictionary; "石墨和烯类" has both parts, but not the word.
    assert titles(client.get(policy_index.url, {"q": "石墨烯"})) == []


def test_search_combines_with_filters_and_finds_document_numbers(client, policy_index, articles):
    assert titles(client.get(policy_index.url, {"q": "许可", "level": "national"})) == ["专利开放许可制度"]
    assert titles(client.get(policy_index.url, {"q": "〔2020〕09号"})) == ["专利开放许可制度"]


def test_search_follows_an_edit_once_it_is_published(client, policy_index, articles):
    article = articles["pledge"]
    article.summary = "专利保险试点扩大到全省。"
    article.save_revision().publish()
    assert titles(client.get(policy_index.url, {"q": "专利保险"})) == ["质押融资贷款额目标"]


def test_the_list_is_paginated_and_page_links_keep_the_filters(client, policy_index):
    for day in range(POLICY_NEWS_PER_PAGE + 3):
        make_article(policy_index, title=f"政策{day:02d}", publish_date=datetime.date(2024, 1, 1 + day))
    first = client.get(policy_index.url, {"level": "provincial"})
    assert len(titles(first)) == POLICY_NEWS_PER_PAGE
    assert titles(first)[0] == "政策12"
    assert 'href="?level=provincial&amp;page=2"' in first.text
    second = client.get(policy_index.url, {"level": "provincial", "page": 2})
    assert titles(second) == ["政策02", "政策01", "政策00"]
    assert 'rel="prev"' in second.text


def test_a_centre_index_lists_only_its_own_articles(client, home, policy_index, articles):
    other = make_index(home, title="另一个栏目", slug="other")
    make_article(other, title="另一个栏目的文章")
    assert titles(client.get(other.url)) == ["另一个栏目的文章"]
    assert "另一个栏目的文章" not in titles(client.get(policy_index.url))


def test_the_navigation_links_the_policy_index_under_its_url_name(client, policy_index, articles):
    assert reverse("cms:policy_index") == "/policy/" == policy_index.url
    response = client.get("/policy/")
    assert response.status_code == 200
    nav = response.text[response.text.index("<nav") : response.text.index("</nav>")]
    assert 'href="/policy/" aria-current="page"' in nav


def test_the_policy_url_redirects_when_the_index_has_moved(client, policy_index):
    policy_index.slug = "zhengce"
    policy_index.save_revision().publish()
    response = client.get(reverse("cms:policy_index"))
    assert response.status_code == 302 and response["Location"] == "/zhengce/"


def test_the_policy_url_is_not_found_without_a_cms(client, db):
    assert client.get(reverse("cms:policy_index")).status_code == 404


def test_an_english_reader_sees_the_editors_english_title_and_chinese_only_articles_marked(client, articles):
    articles["licence"].title_en = "New rules on universities' patent transfer"
    articles["licence"].summary_en = "Universities are encouraged to license their IP."
    articles["licence"].save_revision().publish()
    client.cookies["django_language"] = "en"

    listing = client.get("/policy/")
    assert "New rules on universities&#x27; patent transfer" in titles(listing)
    assert "质押融资贷款额目标" in titles(listing)  # no English version: the Chinese title, marked
    assert '质押融资贷款额目标</a> <span class="badge badge-language">Chinese only</span>' in listing.text

    article = client.get(articles["licence"].url).text
    assert '<h1 id="article-title" lang="en">New rules on universities&#x27; patent transfer</h1>' in article
    assert "Universities are encouraged to license their IP." in article
    assert "The full text below is in Chinese, as issued." in article

    client.cookies["django_language"] = "zh-hans"
    assert "高校专利转化新规" in titles(client.get("/policy/"))
