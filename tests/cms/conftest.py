import datetime
import itertools

import pytest
from wagtail.models import Site

from cms.models import HomePage, PolicyIndexPage, PolicyNewsPage, StandardPage
from cms.services import page_publish, wagtail_tree_ensure

_slugs = itertools.count(1)


def make_home() -> HomePage:
    """A HomePage as the default site's root (the tree may have been emptied by a transactional test)."""
    root = wagtail_tree_ensure()
    home = HomePage(title="首页", slug=f"home-{next(_slugs)}")
    root.add_child(instance=home)
    page_publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def make_index(parent, title="政策法规", slug="policy") -> PolicyIndexPage:
    index = PolicyIndexPage(title=title, slug=slug)
    parent.add_child(instance=index)
    page_publish(index)
    return index


def make_article(index, *, title="一篇政策", body_text="", tags=(), publish=True, **fields) -> PolicyNewsPage:
    fields.setdefault("category", "operation")
    fields.setdefault("level", "provincial")
    fields.setdefault("summary", "政策摘要。")
    fields.setdefault("publish_date", datetime.date(2024, 5, 1))
    article = PolicyNewsPage(
        title=title,
        slug=f"article-{next(_slugs)}",
        body=[{"type": "paragraph", "value": f"<p>{body_text}</p>"}] if body_text else [],
        live=publish,
        **fields,
    )
    if tags:
        article.tags.add(*tags)
    index.add_child(instance=article)
    if publish:
        page_publish(article)
    return article


def make_standard_page(home, title="关于我们", slug="about") -> StandardPage:
    page = StandardPage(
        title=title,
        slug=slug,
        intro="平台简介。",
        body=[{"type": "heading", "value": "我们做什么"}, {"type": "paragraph", "value": "<p>让专利用起来。</p>"}],
    )
    home.add_child(instance=page)
    page_publish(page)
    return page


@pytest.fixture
def home(db) -> HomePage:
    return make_home()


@pytest.fixture
def policy_index(home) -> PolicyIndexPage:
    return make_index(home)
