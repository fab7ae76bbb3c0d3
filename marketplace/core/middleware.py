import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose another language with the switcher (the language cookie).

    Django's own middleware would follow the browser's Accept-Language; a provincial public-service platform
    shows Chinese first to everyone, and English to those who ask for it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # Django's adds "Vary: Accept-Language"; the language here comes from the cookie alone, and a cache told
        # to vary by that header would keep one copy of each page per browser locale for nothing.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ViewerTimeZoneMiddleware:
    """Times in the signed-in person's own time zone (User.time_zone); settings.TIME_ZONE (Asia/Shanghai) for
    everyone else.

    Anonymous visits are told apart by the absence of a session cookie, not by asking request.user: asking reads
    the session, and a page that read it varies by cookie and could no longer be cached for everyone
    (marketplace.core.pagecache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
            zone = _zone(name) if name and name != settings.TIME_ZONE else None
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
