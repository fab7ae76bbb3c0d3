import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.cms.conftest import make_article, make_standard_page

pytestmark = pytest.mark.django_db


def test_the_feed_is_valid_rss_with_the_newest_articles_first(client, policy_index):
    make_article(policy_index, title="较早的政策", publish_date=datetime.date(2019, 1, 2), tags=["许可"])
    make_article(
        policy_index,
        title="最新的政策",
        summary="最新政策的摘要。",
        publish_date=datetime.date(2024, 3, 4),
        issuing_authority="浙江省知识产权局",
    )
    make_article(policy_index, title="草稿", publish=False)

    response = client.get(reverse("cms:policy_feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("link") == "http://testserver/policy/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["最新的政策", "较早的政策"]
    newest, older = items
    assert newest.findtext("description") == "最新政策的摘要。"
    assert newest.findtext("link").startswith("http://testserver/policy/article-")
    assert newest.findtext("pubDate").startswith("Mon, 04 Mar 2024")
    assert [category.text for category in older.findall("category")] == ["许可"]


def test_the_feed_is_empty_but_valid_without_articles(client, db):
    response = client.get(reverse("cms:policy_feed"))
    assert response.status_code == 200
    assert ET.fromstring(response.content).find("channel").findall("item") == []  # noqa: S314


def test_every_cms_page_links_the_feed_from_its_head(client, home, policy_index):
    article = make_article(policy_index)
    about = make_standard_page(home)
    for page in (home, policy_index, article, about):
        text = client.get(page.url).text
        head = text[: text.index("</head>")]
        assert 'rel="alternate" type="application/rss+xml"' in head, page.url
        assert f'href="{reverse("cms:policy_feed")}"' in head, page.url
