"""StreamField blocks of the public pages: the home page's sections and the body of articles and plain pages."""

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from listings.selectors import listing_ids_not_on_market, listings_on_market_in_order, newest_listings_on_market

# The indicators app's figures as JSON ({"total": {"turnover_fen": ..., "licensing_contracted_fen": ...,
# "deals": ...}}): the open API's GET /api/v1/indicators (indicators.api.indicator_figures). The live block fetches
# them in the browser and fetches again when the indicators socket says the figures changed. Without such a URL,
# the block is a link to the dashboard (and without a dashboard, nothing). The cms never imports the indicators app.
# (Not indicators:api: that old address only redirects to this one.)
INDICATOR_HEADLINE_URL_NAMES = ("api:indicator_figures",)
INDICATOR_DASHBOARD_URL_NAME = "indicators:dashboard"
# The indicators app's websocket (config/routing.py): it only announces that the figures changed.
INDICATOR_SOCKET_PATH = "/ws/indicators/"

# The figures the live block shows, keyed as in the JSON's "total"; amounts ending in _fen are money in fen.
HEADLINE_FIGURES = (
    ("turnover_fen", _("Technology-market turnover")),
    ("licensing_contracted_fen", _("IP licensing revenue")),
    ("deals", _("Completed deals")),
)

# The page models import this module, so blocks never import them (nor cms.selectors): listings come from the
# listings app's selectors, policy news from the page that renders the block (Wagtail passes the page's context
# to its blocks as parent_context).


def first_url(names) -> str | None:
    """The URL of the first of the named patterns that exists, or None."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


# --- Links -------------------------------------------------------------------------------------------------


class LinkValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        if page is not None:
            return page.url if page.live else ""
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("or address"),
        required=False,
        max_length=300,
        help_text=_("A path on this site such as /patents/, or a full https:// address."),
    )

    def clean(self, value):
        value = super().clean(value)
        page, url = value.get("page"), (value.get("url") or "").strip()
        if bool(page) == bool(url):
            raise StructBlockValidationError(
                non_block_errors=[ValidationError(_("Choose a page or enter an address (one of the two)."))]
            )
        if url and not ((url.startswith("/") and not url.startswith("//")) or url.startswith(("https://", "http://"))):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Enter a path starting with / or a full http(s) address."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Link")
        value_class = LinkValue


# --- Home page sections ------------------------------------------------------------------------------------


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    lead = blocks.TextBlock(label=_("lead"), required=False)
    image = ImageChooserBlock(label=_("image"), required=False)
    actions = blocks.ListBlock(LinkBlock(), label=_("buttons"), max_num=3)

    class Meta:
        icon = "title"
        label = _("Hero")
        template = "cms/blocks/hero.html"


class FeaturedListingsBlock(blocks.StructBlock):
    """Patents on the market: chosen by their listing numbers, or the newest N."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    selection = blocks.ChoiceBlock(
        label=_("which listings"),
        choices=[("newest", _("The newest on the market")), ("chosen", _("The listings below"))],
        default="newest",
    )
    listing_ids = blocks.ListBlock(
        blocks.IntegerBlock(min_value=1),
        label=_("listing numbers"),
        help_text=_("The number at the end of a listing's address, e.g. 42 for /patents/42/. On the market only."),
    )
    count = blocks.IntegerBlock(label=_("how many"), min_value=1, max_value=12, default=4)

    def clean(self, value):
        value = super().clean(value)
        ids = [listing_id for listing_id in value.get("listing_ids") or [] if listing_id]
        if value.get("selection") == "chosen":
            if not ids:
                raise StructBlockValidationError(
                    block_errors={"listing_ids": ValidationError(_("Add at least one listing number."))}
                )
            missing = listing_ids_not_on_market(ids)
            if missing:
                raise StructBlockValidationError(
                    block_errors={
                        "listing_ids": ValidationError(
                            _("Not on the market: %(numbers)s"),
                            params={"numbers": ", ".join(str(number) for number in missing)},
                        )
                    }
                )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # The chosen ones in the chosen order (those that left the market are skipped), or the newest.
        if value.get("selection") == "chosen":
            listings = listings_on_market_in_order(list(value.get("listing_ids") or []))[: value["count"]]
        else:
            listings = newest_listings_on_market(value["count"])
        context["listings"] = listings
        context["browse_url"] = first_url(["search:finder"])
        return context

    class Meta:
        icon = "pick"
        label = _("Featured patents")
        template = "cms/blocks/featured_listings.html"


class LiveIndicatorsBlock(blocks.StructBlock):
    """The platform's headline figures, loaded in the browser from the indicators app's JSON."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    refresh_seconds = blocks.IntegerBlock(
        label=_("refresh every (seconds)"),
        min_value=0,
        max_value=3600,
        default=60,
        help_text=_("0 loads the figures once."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["headline_url"] = first_url(INDICATOR_HEADLINE_URL_NAMES)
        context["socket_path"] = INDICATOR_SOCKET_PATH
        context["dashboard_url"] = first_url([INDICATOR_DASHBOARD_URL_NAME])
        context["figures"] = HEADLINE_FIGURES
        return context

    class Meta:
        icon = "table"
        label = _("Live indicators")
        template = "cms/blocks/live_indicators.html"


class LatestPolicyNewsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    index = blocks.PageChooserBlock(
        label=_("from"),
        page_type="cms.PolicyIndexPage",
        required=False,
        help_text=_("Leave empty for the news of the whole site."),
    )
    count = blocks.IntegerBlock(label=_("how many"), min_value=1, max_value=20, default=5)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # The chosen PolicyIndexPage, else the home page rendering the block: both read their own news.
        index, home = value.get("index"), (parent_context or {}).get("page")
        source = index if index is not None else home
        context["news"] = source.latest_policy_news(limit=value["count"]) if source is not None else []
        more = index if index is not None and index.live else (home.policy_index() if home is not None else None)
        context["more_url"] = more.url if more is not None else ""
        return context

    class Meta:
        icon = "list-ul"
        label = _("Latest policy news")
        template = "cms/blocks/latest_policy_news.html"


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    link = LinkBlock(label=_("button"))

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"


# --- Stream blocks -----------------------------------------------------------------------------------------


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        form_classname = "title"
        template = "cms/blocks/heading.html"


class HomeStreamBlock(blocks.StreamBlock):
    hero = HeroBlock()
    featured_listings = FeaturedListingsBlock()
    live_indicators = LiveIndicatorsBlock()
    latest_policy_news = LatestPolicyNewsBlock()
    rich_text = blocks.RichTextBlock(label=_("Text"), template="cms/blocks/rich_text.html")
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"hero": {"max_num": 1}}


class ArticleStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), template="cms/blocks/rich_text.html")
    quote = blocks.BlockQuoteBlock(label=_("Quote"))


class StandardStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), template="cms/blocks/rich_text.html")
    call_to_action = CallToActionBlock()
