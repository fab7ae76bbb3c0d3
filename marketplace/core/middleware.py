from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
