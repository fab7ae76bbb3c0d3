"""Reads of the public site's content.

CMS pages look the same to everyone: what anyone may read is a live page without a view restriction
(`.live().public()`); previews and the admin go through Wagtail's own permission checks.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from taggit.models import Tag
from wagtail.models import Page, Site

from cms.models import CentreNewsIndexPage, HomePage, PolicyIndexPage, PolicyNewsPage
from cms.policy_search import search_q
from listings.selectors import listings_on_market


@dataclass(frozen=True)
class PolicyFilters:
    query: str = ""
    level: str = ""
    category: str = ""
    year: int | None = None
    tag: str = ""

    @property
    def active(self) -> bool:
        return bool(self.query or self.level or self.category or self.year or self.tag)


@dataclass(frozen=True)
class PolicyFilterOptions:
    years: list[int]
    tags: list[Tag]


def policy_news_public() -> QuerySet[PolicyNewsPage]:
    """Every article anyone may read, newest first."""
    return PolicyNewsPage.objects.live().public().order_by("-publish_date", "-first_published_at", "-pk")


def policy_news_in(index: Page, filters: PolicyFilters | None = None) -> QuerySet[PolicyNewsPage]:
    """The readable articles below an index page, filtered and searched (cms.policy_search)."""
    news = policy_news_public().descendant_of(index)
    if filters is None:
        return news
    if filters.level:
        news = news.filter(level=filters.level)
    if filters.category:
        news = news.filter(category=filters.category)
    if filters.year:
        news = news.filter(publish_date__year=filters.year)
    if filters.tag:
        news = news.filter(tags__slug=filters.tag)
    condition = search_q(filters.query)
    if condition is not None:
        news = news.filter(condition)
    return news.distinct()


def policy_filter_options(index: Page) -> PolicyFilterOptions:
    """The years and tags that the index's readable articles have, for the filter menus."""
    news = policy_news_public().descendant_of(index)
    years = sorted({day.year for day in news.dates("publish_date", "year")}, reverse=True)
    tags = list(Tag.objects.filter(cms_policynewspagetag_items__content_object__in=news).distinct().order_by("name"))
    return PolicyFilterOptions(years=years, tags=tags)


def latest_policy_news(*, within: Page | None = None, limit: int = 5) -> list[PolicyNewsPage]:
    """The newest readable articles of the whole site, or of one index or section."""
    news = policy_news_public()
    if within is not None:
        news = news.descendant_of(within)
    return list(news[:limit])


def site_home_page(site: Site | None = None) -> HomePage | None:
    """The HomePage at the root of the given (or the default) site, else the first one there is."""
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and site.root_page.specific_class is HomePage:
        return site.root_page.specific
    return HomePage.objects.order_by("path").first()


def main_policy_index(site: Site | None = None) -> PolicyIndexPage | None:
    """The site-wide policy index (政策法规): the first live one directly below the home page."""
    home = site_home_page(site)
    if home is None:
        return None
    return PolicyIndexPage.objects.child_of(home).live().order_by("path").first()


def centre_sections() -> QuerySet[CentreNewsIndexPage]:
    return CentreNewsIndexPage.objects.select_related("centre", "editors_group").order_by("path")


# --- Listings on the home page -----------------------------------------------------------------------------


def featured_listings(*, selection: str, listing_ids: list[int], count: int) -> list:
    """Listings on the market for the home page: the chosen ones in the chosen order (those that left the
    market are skipped), or the newest."""
    on_market = listings_on_market()
    if selection == "chosen":
        by_id = {listing.pk: listing for listing in on_market.filter(pk__in=listing_ids)}
        return [by_id[listing_id] for listing_id in dict.fromkeys(listing_ids) if listing_id in by_id][:count]
    return list(on_market.order_by("-published_at", "-pk")[:count])


def listings_not_on_market(listing_ids: list[int]) -> list[int]:
    """Those of the given listing numbers that are not published on the market (to refuse them in the editor)."""
    found = set(listings_on_market().filter(pk__in=listing_ids).values_list("pk", flat=True))
    return [listing_id for listing_id in dict.fromkeys(listing_ids) if listing_id not in found]
