from django.contrib.sitemaps import Sitemap

from deals.selectors import price_notices_public


class PriceNoticeSitemap(Sitemap):
    """Every public notice of an agreed price: a public record, whatever became of it."""

    changefreq = "daily"
    priority = 0.4
    limit = 5000

    def items(self):
        return price_notices_public().select_related(None).order_by("pk").only("pk", "starts_at")

    def lastmod(self, notice):
        return notice.starts_at
