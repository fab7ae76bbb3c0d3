from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from marketplace.core.languages import ShownText, shown_text

register = template.Library()


@register.simple_tag
def in_language(chinese: str, english: str) -> ShownText:
    """{% in_language listing.title listing.title_en as title %}: the version the reader sees (its .text, .lang,
    .chinese_only)."""
    return shown_text(chinese or "", english or "")


@register.simple_tag
def chinese_only_mark(shown) -> SafeString | str:
    """After a text an English reader sees in Chinese, a mark saying so; nothing otherwise. `shown`: anything with
    `chinese_only` (a ShownText, search.views.CardText)."""
    if not shown.chinese_only:
        return ""
    return format_html(' <span class="badge badge-language">{}</span>', gettext("Chinese only"))


@register.filter
def shown_title(item) -> SafeString:
    """{{ listing|shown_title }}: the title of anything with `title` and `title_en` (a listing, a demand) in the
    reader's language, in a span that says which language it is, for a title inside a link or a sentence."""
    shown = shown_text(item.title or "", getattr(item, "title_en", "") or "")
    return format_html('<span lang="{}">{}</span>', shown.lang, shown.text)


@register.filter
def shown_title_text(item) -> str:
    """{{ listing|shown_title_text }}: the same title as plain text, for the page's <title>."""
    return shown_text(item.title or "", getattr(item, "title_en", "") or "").text
