import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from cms.models import PolicyIndexPage
from cms.selectors import latest_policy_news, main_policy_index

FEED_ITEMS = 30


@dataclass
class FeedSource:
    request: object
    index: PolicyIndexPage | None


class PolicyNewsFeed(Feed):
    """RSS 2.0 feed of the site's newest policy news (every index and centre section)."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        return FeedSource(request=request, index=main_policy_index())

    def title(self, obj):
        return _("Policy news · %(platform)s") % {"platform": settings.PLATFORM_NAME}

    def description(self, obj):
        return _("IP policies, planning targets and news of the operation centres.")

    def link(self, obj):
        return obj.index.get_url(obj.request) if obj.index is not None else "/"

    def items(self, obj):
        news = latest_policy_news(limit=FEED_ITEMS)
        for page in news:
            # Item methods get the item only: work out its address with the request here.
            page.feed_link = page.get_url(obj.request)
            page.feed_categories = [tag.name for tag in page.tags.all()]
        return news

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.publish_date, datetime.time()))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.issuing_authority or None

    def item_categories(self, item):
        return item.feed_categories
