"""The Atom feed of new demands, for readers, other platforms and the centres' newsletters."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from demands.selectors import newest_demands_published

FEED_ITEMS = 30


class NewDemandsFeed(Feed):
    """The newest published demands (Atom 1.0)."""

    feed_type = Atom1Feed

    def title(self):
        return _("Technology demands · %(platform)s") % {"platform": settings.PLATFORM_NAME}

    def subtitle(self):
        return _("What firms and institutions need: new technology demands, approved by the operation centres.")

    def link(self):
        return reverse("demands:list")

    def items(self):
        return newest_demands_published(FEED_ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name

    def item_categories(self, item):
        return [item.field, *item.ipc_codes]
