"""Reads of the public site's content, for the app's views, feeds and services.

The queries themselves are methods of the page models' querysets (cms.models), which the pages use directly.
"""

from django.db.models import QuerySet
from wagtail.models import Page, Site

from cms.models import CentreNewsIndexPage, HomePage, PolicyIndexPage, PolicyNewsPage


def latest_policy_news(*, within: Page | None = None, limit: int = 5) -> list[PolicyNewsPage]:
    """The newest readable articles of the whole site, or of one index or section."""
    return PolicyNewsPage.objects.newest(within=within, limit=limit)


def site_home_page(site: Site | None = None) -> HomePage | None:
    """The HomePage at the root of the given (or the default) site, else the first one there is."""
    return HomePage.objects.of_site(site)


def main_policy_index(site: Site | None = None) -> PolicyIndexPage | None:
    """The site-wide policy index (政策法规): the first live one directly below the home page."""
    home = site_home_page(site)
    return home.policy_index() if home is not None else None


def centre_sections() -> QuerySet[CentreNewsIndexPage]:
    return CentreNewsIndexPage.objects.select_related("centre", "editors_group").order_by("path")
