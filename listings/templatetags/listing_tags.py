"""Template helpers for listing pages: money in 元 / 万元 from integer fen, remaining terms, IPC titles, JSON-LD."""

import json
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from listings.ipc_sections import ipc_section_title
from listings.models import LicenceType, Listing, Patent
from listings.patents.terms import RemainingTerm
from listings.pricing import PRICE_ANNOTATION

register = template.Library()

FEN_PER_YUAN = 100
YUAN_PER_WAN = 10_000
YUAN_PER_YI = 100_000_000


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / FEN_PER_YUAN


def _plain_number(amount: Decimal) -> str:
    """'12.35', '500', '0.5': at most two decimals, no trailing zeros (no float ever touches money)."""
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _grouped_yuan(fen: int) -> str:
    """'12,345' for whole yuan, '12,345.50' when there are jiao or fen."""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    sign = "-" if fen < 0 else ""
    return f"{sign}{whole:,}" if cents == 0 else f"{sign}{whole:,}.{cents:02d}"


@register.filter
def fen_to_yuan(fen: int | None) -> str:
    """1234500 fen -> '¥12,345'; 1234550 -> '¥12,345.50'; None -> ''."""
    if fen is None or fen == "":
        return ""
    return f"¥{_grouped_yuan(int(fen))}"


@register.filter
def yuan_wan(fen: int | None) -> str:
    """An amount as a Chinese reader says it: 500000000 fen -> '500万元', 12345600 -> '12.35万元',
    500000 -> '5,000元', 15000000000 -> '1.5亿元'; None -> ''."""
    if fen is None or fen == "":
        return ""
    fen = int(fen)
    yuan = _yuan(fen)
    if abs(yuan) >= YUAN_PER_YI:
        return f"{_plain_number(yuan / YUAN_PER_YI)}亿元"
    if abs(yuan) >= YUAN_PER_WAN:
        return f"{_plain_number(yuan / YUAN_PER_WAN)}万元"
    return f"{_grouped_yuan(fen)}元"


@register.filter
def remaining_term_text(term: RemainingTerm | None) -> str:
    """'12 years 3 months', '8 months', 'less than a month', 'expired'."""
    if term is None or term.is_zero:
        return gettext("expired")
    parts = []
    if term.years:
        parts.append(ngettext("%(count)d year", "%(count)d years", term.years) % {"count": term.years})
    if term.months:
        parts.append(ngettext("%(count)d month", "%(count)d months", term.months) % {"count": term.months})
    return " ".join(parts) if parts else gettext("less than a month")


@register.filter
def longest_remaining_term(listing: Listing) -> RemainingTerm | None:
    """The longest remaining term among the listing's patents (uses the prefetched patents)."""
    terms = [patent.remaining_term() for patent in listing.patents.all()]
    return max(terms, key=lambda term: term.total_days, default=None)


@register.filter
def has_pending_patent(listing: Listing) -> bool:
    return any(patent.is_pending for patent in listing.patents.all())


@register.filter
def section_title(code: str) -> str:
    """'H01M 4/525' or 'H' -> the title of its IPC section, in the page's language."""
    return ipc_section_title((code or " ")[0].upper())


@register.filter
def licence_type_labels(values: list[str]) -> str:
    labels = dict(LicenceType.choices)
    return ", ".join(str(labels.get(value, value)) for value in values or [])


@register.filter
def open_terms(listing: Listing) -> list:
    return [terms for terms in listing.terms.all() if terms.is_open]


@register.simple_tag
def enquire_url(listing: Listing) -> str:
    """The enquiry page of a listing, or '' while the negotiations app does not provide one (never a broken link)."""
    try:
        return reverse("negotiations:enquire", args=[listing.pk])
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def query_without(context, *names: str) -> str:
    """The current query string without the given parameters and the page number ('?' when nothing is left)."""
    query = context["request"].GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return f"?{query.urlencode()}"


# Characters that could end the <script> element or start markup inside it; JSON reads the escapes back.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def listing_structured_data(listing: Listing, url: str) -> dict:
    """schema.org Product data for search engines: the listing is the product, the seller its brand."""
    patents: list[Patent] = list(listing.patents.all())
    seller = {"@type": "Organization", "name": listing.seller.name}
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": listing.title,
        "description": listing.summary,
        "url": url,
        "identifier": [patent.application_number for patent in patents],
        "brand": seller,
        "manufacturer": seller,
    }
    sections = sorted({patent.ipc_section for patent in patents if patent.ipc_section})
    if sections:
        data["category"] = [ipc_section_title(section) for section in sections]
    price_fen = getattr(listing, PRICE_ANNOTATION, None)
    if price_fen is not None:
        on_market = listing.is_on_market
        data["offers"] = {
            "@type": "Offer",
            "price": _plain_number(_yuan(price_fen)),
            "priceCurrency": "CNY",
            "url": url,
            "availability": "https://schema.org/InStock" if on_market else "https://schema.org/SoldOut",
            "seller": seller,
        }
    return data


@register.simple_tag
def listing_json_ld(listing: Listing, url: str) -> SafeString:
    text = json.dumps(listing_structured_data(listing, url), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_SCRIPT_ESCAPES)))  # noqa: S308 - escaped just above
