"""Figures for people: amounts in 万元 for tables, 亿元 / 万元 for headlines (the same rounding as
static/js/indicators-dashboard.js, which redraws them live), and percentages."""

from decimal import Decimal

from django import template

from listings.templatetags.listing_tags import yuan_wan

register = template.Library()

FEN_PER_HUNDREDTH_WAN = 10_000  # 0.01 万元 = 100 yuan
HIDDEN = "—"  # a figure the small-cell rule hides from the public (indicators/selectors/disclosure.py)


@register.filter
def wan(fen: int | None) -> str:
    """An amount in 万元 with two decimals, rounded half away from zero: 123_456_789 fen -> '123.46'; a figure
    the small-cell rule hides (None) -> '—'."""
    if fen is None:
        return HIDDEN
    if fen == "":
        return ""
    fen = int(fen)
    hundredths = (abs(fen) + FEN_PER_HUNDREDTH_WAN // 2) // FEN_PER_HUNDREDTH_WAN
    whole, decimals = divmod(hundredths, 100)
    sign = "-" if fen < 0 and hundredths else ""
    return f"{sign}{whole:,}.{decimals:02d}"


@register.filter
def money(fen: int | None) -> str:
    """A headline amount as a Chinese reader says it: '22亿元', '500万元', '5,000元'; hidden (None) -> '—'."""
    return HIDDEN if fen is None else yuan_wan(fen)


@register.filter
def count(value: int | None) -> str:
    """A number of deals; hidden by the small-cell rule (None) -> '—'."""
    return HIDDEN if value is None else str(value)


@register.filter
def percent(value: Decimal | None) -> str:
    return HIDDEN if value is None else f"{value}%"


@register.filter
def meter_value(value: Decimal | None) -> str:
    """A percentage for <meter max=100>, capped: the text beside it gives the true figure."""
    if value is None:
        return "0"
    return str(min(max(value, Decimal(0)), Decimal(100)))
