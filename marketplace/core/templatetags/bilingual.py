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
