from django.contrib.sitemaps import Sitemap

from demands.selectors import demands_published


class DemandSitemap(Sitemap):
    """Every published demand (drafts, paused, closed and expired demands are left out)."""

    changefreq = "daily"
    priority = 0.6
    limit = 5000

    def items(self):
        return demands_published().select_related(None).order_by("pk").only("pk", "updated_at")

    def lastmod(self, demand):
        return demand.updated_at
