"""The Atom feed of agreed-price notices (协议定价公示), for anyone who watches public institutions' deals."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from deals.selectors import price_notices_public
from deals.templatetags.deal_tags import format_yuan
from marketplace.core.templatetags.bilingual import shown_title_text

FEED_ITEMS = 30


def notice_summary(notice) -> str:
    price = format_yuan(notice.amount_fen) if notice.amount_fen else ""
    if notice.royalty_rate is not None:
        price = " + ".join(filter(None, [price, _("royalty %(rate)s %%") % {"rate": notice.royalty_rate}]))
    return _("%(seller)s → %(buyer)s · %(mode)s · agreed price %(price)s · noticed until %(end)s · %(status)s") % {
        "seller": notice.seller.name,
        "buyer": notice.buyer.name,
        "mode": notice.get_mode_display(),
        "price": price or "—",
        "end": notice.ends_at.date().isoformat(),
        "status": notice.get_status_display(),
    }


class PriceNoticesFeed(Feed):
    """The newest notices (Atom 1.0)."""

    feed_type = Atom1Feed

    def title(self):
        return _("Public notices of agreed prices · %(platform)s") % {"platform": settings.PLATFORM_NAME}

    def subtitle(self):
        return _(
            "Prices that public universities and research institutes agreed for their patents, noticed before the "
            "contract is signed."
        )

    def link(self):
        return reverse("notices:list")

    def items(self):
        return price_notices_public().order_by("-starts_at", "-id")[:FEED_ITEMS]

    def item_title(self, item):
        return shown_title_text(item.listing)

    def item_description(self, item):
        return notice_summary(item)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.starts_at

    def item_author_name(self, item):
        return item.seller.name
