"""The Atom feed of bidding results (成交公告 and 流拍), for anyone who watches the exchange."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from auctions.models import RoundStatus
from auctions.selectors import results
from deals.templatetags.deal_tags import format_yuan
from marketplace.core.templatetags.bilingual import shown_title_text

FEED_ITEMS = 30


def result_summary(round_) -> str:
    if round_.status == RoundStatus.SOLD:
        return _("Sold to %(buyer)s at %(price)s (%(mode)s) after %(bids)s bids; start price %(start)s.") % {
            "buyer": round_.deal.buyer.name if round_.deal else "—",
            "price": format_yuan(round_.price_fen),
            "mode": round_.get_mode_display(),
            "bids": round_.bid_count,
            "start": format_yuan(round_.start_price_fen),
        }
    return _("No sale: %(reason)s. Start price %(start)s.") % {
        "reason": round_.get_failure_reason_display(),
        "start": format_yuan(round_.start_price_fen),
    }


class AuctionResultsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Bidding results · %(platform)s") % {"platform": settings.PLATFORM_NAME}

    def subtitle(self):
        return _("Results of the bidding rounds hosted on the platform: sold, or no sale.")

    def link(self):
        return reverse("auctions:list")

    def items(self):
        return results(None).select_related("deal__buyer")[:FEED_ITEMS]

    def item_title(self, item):
        label = _("Sold") if item.status == RoundStatus.SOLD else _("No sale")
        return f"{label}: {shown_title_text(item.listing)}"

    def item_description(self, item):
        return result_summary(item)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.closed_at
