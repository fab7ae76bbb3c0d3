from django.contrib.sitemaps import Sitemap

from listings.selectors import listings_on_market


class ListingSitemap(Sitemap):
    """Every listing on the market (published only: drafts, paused and closed listings are left out)."""

    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        # The selector joins the seller and centre and prefetches patents and terms for pages; a sitemap needs
        # only the key and the date, and only() cannot be combined with select_related on deferred fields.
        return listings_on_market().select_related(None).prefetch_related(None).order_by("pk").only("pk", "updated_at")

    def lastmod(self, listing):
        return listing.updated_at
