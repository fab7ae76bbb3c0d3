"""When a periodic job runs next. A spec is a five-part crontab in the site's time zone ("10 0 * * *": ten past
midnight, Beijing time) or a period ("5m", "1h", "1d"), reusing django-dbtasks' parsers."""

from datetime import datetime

from dbtasks import Crontab, Duration
from django.utils import timezone


def is_crontab(spec: str) -> bool:
    return len(spec.split()) == 5


def next_run_after(spec: str, after: datetime) -> datetime:
    """The first run strictly after `after` (an aware datetime); aware as well."""
    if is_crontab(spec):
        # Crontabs read wall-clock time in the site's zone, not the server's (which is often UTC).
        local = timezone.localtime(after).replace(tzinfo=None)
        following = Crontab(spec).first(local)
        if following is None:
            raise ValueError(f"The crontab {spec!r} never matches within a year.")
        return timezone.make_aware(following)
    period = Duration(spec)
    if period.total_seconds() <= 0:
        raise ValueError(f"{spec!r} is neither a crontab nor a period such as 5m or 1h.")
    return after + period
