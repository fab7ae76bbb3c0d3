"""The demo site's page tree. Deterministic and idempotent: a second run creates nothing and changes nothing."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import Page, Site

from cms.demo.content import (
    ABOUT_BODY,
    ABOUT_INTRO,
    ARTICLE_ENGLISH,
    ARTICLES,
    DEMO_NOTICE,
    HELP_BODY,
    HELP_INTRO,
    HOME_HERO,
    POLICY_INDEX_INTRO,
    DemoArticle,
)
from cms.models import HomePage, PolicyIndexPage, PolicyNewsPage, StandardPage
from cms.services import centre_sections_sync, page_publish, wagtail_tree_ensure


@transaction.atomic
def seed_cms_demo() -> dict[str, int]:
    """Home page (the default site's root, replacing Wagtail's welcome page), 政策法规 with the demo articles,
    关于我们, 帮助中心, and one news section per operation centre (cms.services.centre_sections_sync)."""
    root = wagtail_tree_ensure()
    home, home_created = _home_page(root)
    _default_site_point_to(home)
    policy, _ = _child_page(home, PolicyIndexPage, slug="policy", title="政策法规", intro=POLICY_INDEX_INTRO)
    about, _ = _child_page(home, StandardPage, slug="about", title="关于我们", intro=ABOUT_INTRO, body=_raw(ABOUT_BODY))
    _child_page(home, StandardPage, slug="help", title="帮助中心", intro=HELP_INTRO, body=_raw(HELP_BODY))
    if home_created:
        home.body = _home_body(policy=policy, about=about)
        page_publish(home)
    created = sum(_article(policy, article) for article in ARTICLES)
    sections = centre_sections_sync(home=home)
    return {
        "articles": PolicyNewsPage.objects.descendant_of(policy).count(),
        "articles_created": created,
        "centre_sections": len(sections),
    }


def _home_page(root: Page) -> tuple[HomePage, bool]:
    existing = HomePage.objects.child_of(root).order_by("path").first()
    if existing is not None:
        return existing, False
    # Wagtail's migration leaves a bare welcome page (slug "home") as the site's root: replace it, pointing any
    # site at the tree's root meanwhile so deleting the page does not delete the site with it.
    plain_page = ContentType.objects.get_for_model(Page)
    welcome = root.get_children().filter(content_type=plain_page, slug="home").first()
    if welcome is not None and not welcome.get_children().exists():
        Site.objects.filter(root_page=welcome).update(root_page=root)
        welcome.delete()
    home = HomePage(title="首页", slug="home", seo_title="浙江知识产权交易平台")
    root.add_child(instance=home)
    page_publish(home)
    return home, True


def _default_site_point_to(home: HomePage) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        address = urlsplit(settings.SITE_URL)
        Site.objects.create(
            hostname=address.hostname or "localhost",
            port=address.port or (443 if address.scheme == "https" else 80),
            site_name=settings.WAGTAIL_SITE_NAME,
            root_page=home,
            is_default_site=True,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()


def _child_page(parent: Page, model: type[Page], *, slug: str, **fields) -> tuple[Page, bool]:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page_publish(page)
    return page, True


def _article(policy: PolicyIndexPage, article: DemoArticle) -> bool:
    if PolicyNewsPage.objects.child_of(policy).filter(slug=article.slug).exists():
        return False
    page = PolicyNewsPage(
        slug=article.slug,
        title=article.title,
        level=article.level,
        category=article.category,
        issuing_authority=article.authority,
        document_number=article.document_number,
        publish_date=article.publish_date,
        effective_date=article.effective_date,
        summary=article.summary,
        title_en=ARTICLE_ENGLISH.get(article.slug, ("", ""))[0],
        summary_en=ARTICLE_ENGLISH.get(article.slug, ("", ""))[1],
        body=_raw([("paragraph", DEMO_NOTICE), *(("paragraph", f"<p>{text}</p>") for text in article.paragraphs)]),
        first_published_at=timezone.make_aware(datetime.datetime.combine(article.publish_date, datetime.time(9))),
    )
    page.tags.add(*article.tags)
    policy.add_child(instance=page)
    page_publish(page)
    return True


def _raw(blocks) -> list[dict]:
    """(block type, value) pairs as StreamField's stored (JSON) form, which rich text takes as HTML source."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _home_body(*, policy: PolicyIndexPage, about: StandardPage) -> list[dict]:
    return [
        {
            "type": "hero",
            "value": {
                **HOME_HERO,
                "image": None,
                "actions": [
                    {"label": "查找专利", "page": None, "url": _url("search:finder", "/patents/")},
                    {"label": "了解平台", "page": about.pk, "url": ""},
                ],
            },
        },
        {
            "type": "live_indicators",
            "value": {
                "heading": "平台实时指标",
                "intro": "技术市场成交额和知识产权许可使用金额，由平台上完成的交易实时汇总。",
                "refresh_seconds": 60,
            },
        },
        {
            "type": "featured_listings",
            "value": {"heading": "最新挂牌专利", "selection": "newest", "listing_ids": [], "count": 4},
        },
        {"type": "latest_policy_news", "value": {"heading": "政策动态", "index": policy.pk, "count": 5}},
        {
            "type": "call_to_action",
            "value": {
                "heading": "加入平台",
                "text": "高校院所挂牌专利、企业寻找技术，注册后即可开始；机构认证由所在运营中心办理。",
                "link": {"label": "免费注册", "page": None, "url": _url("accounts:signup", "/accounts/signup/")},
            },
        },
    ]
