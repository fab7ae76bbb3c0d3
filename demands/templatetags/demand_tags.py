"""Template helpers for demand pages: the budget as a reader says it."""

from django import template
from django.utils.translation import gettext

from listings.templatetags.listing_tags import yuan_wan

register = template.Library()


@register.filter
def budget_text(demand) -> str:
    """'50万元 – 200万元', 'up to 80万元', 'from 30万元', or 'open to offers' when no budget is stated."""
    low, high = demand.budget_min_fen, demand.budget_max_fen
    if low is not None and high is not None:
        return yuan_wan(low) if low == high else f"{yuan_wan(low)} – {yuan_wan(high)}"
    if high is not None:
        return gettext("up to %(amount)s") % {"amount": yuan_wan(high)}
    if low is not None:
        return gettext("from %(amount)s") % {"amount": yuan_wan(low)}
    return gettext("Open to offers")
