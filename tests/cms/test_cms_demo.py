from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, Site, WorkflowPage

from cms.demo import seed_cms_demo
from cms.demo.content import DEMO_NOTICE
from cms.models import CentreNewsIndexPage, HomePage, PolicyIndexPage, PolicyNewsPage, StandardPage
from marketplace.centres.models import OperationCentre
from portal.demo.seed import seed_core

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Page.objects.values_list("path", "slug", "title", "live", "content_type__model", "latest_revision_id")),
        sorted(PolicyNewsPage.objects.values_list("slug", "document_number", "publish_date", "search_text")),
        sorted(Site.objects.values_list("hostname", "port", "root_page__slug", "is_default_site")),
        sorted(
            (group.name, tuple(sorted(group.user_set.values_list("email", flat=True)))) for group in Group.objects.all()
        ),
        sorted(GroupPagePermission.objects.values_list("group__name", "page__path", "permission__codename")),
        sorted(WorkflowPage.objects.values_list("page__path", "workflow__name")),
    )


def test_the_cms_demo_is_idempotent_and_deterministic_and_gives_every_centre_its_section():
    seed_core()
    counts = seed_cms_demo()
    first = snapshot()
    output = StringIO()
    call_command("seed_cms_demo", stdout=output)  # what seed_demo runs
    assert "cms articles_created: 0" in output.getvalue()
    assert snapshot() == first
    assert counts["articles"] == counts["articles_created"] >= 10
    assert counts["centre_sections"] == CentreNewsIndexPage.objects.count() == OperationCentre.objects.count()
    for section in CentreNewsIndexPage.objects.all():
        assert section.editors_group is not None
        assert WorkflowPage.objects.filter(page=section).exists()


def test_the_demo_home_page_replaces_wagtail_s_welcome_page_as_the_site_root():
    seed_cms_demo()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    home = site.root_page.specific
    assert [block.block_type for block in home.body] == [
        "hero",
        "live_indicators",
        "featured_listings",
        "latest_policy_news",
        "call_to_action",
    ]
    children = {page.slug: page.specific for page in home.get_children()}
    assert isinstance(children["policy"], PolicyIndexPage) and children["policy"].title == "政策法规"
    assert isinstance(children["about"], StandardPage) and children["about"].title == "关于我们"
    assert isinstance(children["help"], StandardPage) and children["help"].title == "帮助中心"


def test_the_demo_has_at_least_ten_searchable_articles_clearly_marked_as_demo_summaries(client):
    seed_cms_demo()
    articles = PolicyNewsPage.objects.live()
    assert articles.count() >= 10
    assert {article.level for article in articles} >= {"national", "provincial", "city"}
    for article in articles:
        assert article.summary.startswith("【演示摘要】"), article.title
        assert article.body[0].value.source == DEMO_NOTICE
        assert not article.document_number or "演示" in article.document_number
        assert article.tags.exists()
    # The plan's themes, found by a reader's Chinese search.
    for query, expected in [
        ("1+X", "“1+X”：一个省级交易中心带动多个专业运营中心"),
        ("知识产权许可", "高校和科研院所：以许可为主推动知识产权转移转化"),
        ("质押融资", "知识产权质押融资：到2020年贷款额达到150亿元以上"),
        ("评议", "知识产权评议：技术交易之前先做“体检”"),
        ("专利导航", "专利导航试点：用专利分析服务产业决策"),
        ("220亿元", "规划解读：浙江省知识产权“十三五”发展目标一览"),
    ]:
        assert expected in client.get("/policy/", {"q": query}).text, query
