from django.contrib.sitemaps import Sitemap

from auctions.models import AuctionRound


class AuctionRoundSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self):
        return AuctionRound.objects.order_by("pk")

    def lastmod(self, item):
        return item.closed_at or item.created_at
