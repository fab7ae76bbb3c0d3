"""One way to show a moment: `{{ value|moment }}` is a <time> element reading 2026-12-07 16:30 in the viewer's
time zone (marketplace.core.middleware.ViewerTimeZoneMiddleware), the zone named in its title;
`{{ value|moment:"relative" }}` reads "3 minutes ago" for the last week, the exact time in its title. The live
pages' scripts write the same format (window.ipMoment in static/js/site.js)."""

from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext

register = template.Library()

MOMENT_FORMAT = "%Y-%m-%d %H:%M"  # as window.ipMoment in static/js/site.js writes it
RELATIVE_FOR = timedelta(days=7)


def moment_text(value: datetime) -> str:
    return timezone.localtime(value).strftime(MOMENT_FORMAT)


@register.filter(is_safe=True)
def moment(value: datetime | date | None, style: str = "") -> SafeString | str:
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):  # a date: no time of day, no zone
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.isoformat())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    exact = moment_text(value)
    zone = timezone.get_current_timezone_name()
    age = timezone.now() - value
    if style == "relative" and timedelta(0) <= age < RELATIVE_FOR:
        shown = (
            gettext("just now")
            if age < timedelta(minutes=1)
            else gettext("%(delta)s ago") % {"delta": timesince(value, depth=1)}
        )
        return format_html('<time datetime="{}" title="{} ({})">{}</time>', value.isoformat(), exact, zone, shown)
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), zone, exact)
