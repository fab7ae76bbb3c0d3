from django.contrib.sitemaps import Sitemap

from listings.selectors import listings_on_market


class ListingSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return listings_on_market().order_by("pk").only("pk", "updated_at")

    def lastmod(self, listing):
        return listing.updated_at
