"""What every request of a signed-in person passes: the second step at log-in (staff and brokers), enforced on
every request and every socket, and consent to the privacy notice in force.

Staff and brokers (accounts.selectors.second_factor_required) log in with their password and then with a code
from their authenticator app. Until that second step is passed, their session opens nothing but the step itself
and the way out: every page, the Django admin and the CMS admin included, sends them to the step, and sockets see
them as signed out. So a session stolen between the two steps gains nothing. Non-staff members are not asked.
"""

from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from marketplace.accounts.selectors import (
    authenticator_of,
    consented_notice_version,
    privacy_notice_version,
    second_factor_required,
    session_second_factor_passed,
)

# What a session held at the second step may still open: the step, the way out, and what every page's frame
# needs (the language switcher, the translated strings of the scripts, the health check).
OPEN_BEFORE_SECOND_STEP = frozenset(
    {
        "accounts:second_factor",
        "accounts:second_factor_setup",
        "accounts:logout",
        "wagtailadmin_logout",
        "admin:logout",
        "set_language",
        "javascript-catalog",
        "healthz",
        "healthz_live",
    }
)


def second_step_url(user, next_url: str = "") -> str:
    """The step this person is held at: setting up an authenticator app, or typing its code."""
    name = "accounts:second_factor" if authenticator_of(user) is not None else "accounts:second_factor_setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def held_at_second_step(user) -> bool:
    """Signed in with the password only, by someone who needs the second step (request.user.is_verified is
    django-otp's OTPMiddleware's: the session names a confirmed device of this user)."""
    return user.is_authenticated and not user.is_verified() and second_factor_required(user)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: holds a staff or broker session at the second step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(settings.STATIC_URL) or request.resolver_match.view_name in OPEN_BEFORE_SECOND_STEP:
            return None
        if not held_at_second_step(request.user):
            return None
        # Back to the page asked for once the step is passed; a form posted meanwhile is not replayed.
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(second_step_url(request.user, next_url))


def _socket_user_passes(scope) -> bool:
    user = scope.get("user")
    if user is None or not user.is_authenticated or not second_factor_required(user):
        return True
    return session_second_factor_passed(user, scope.get("session"))


class SecondFactorSocketMiddleware(BaseMiddleware):
    """Inside Channels' AuthMiddlewareStack: a socket of a session held at the second step is anonymous, so every
    consumer refuses it as it refuses a visitor who has not logged in."""

    async def __call__(self, scope, receive, send):
        if not await database_sync_to_async(_socket_user_passes)(scope):
            scope = dict(scope, user=AnonymousUser())
        return await super().__call__(scope, receive, send)


# The session remembers the version the person accepted, so the table is read once per session and again only
# when the notice changes.
SESSION_KEY = "privacy_notice_accepted"
# Where a person who has not accepted the notice in force may still go: the notice itself and the consent page,
# their account (to download their data or close it instead of accepting), logging out, the staff's admin sites,
# and everything that is not a page.
OPEN_PREFIXES = (
    "/privacy/",
    "/accounts/",
    "/cms/",
    "/django-admin/",
    "/api/",
    "/static/",
    "/media/",
    "/documents/",
    "/i18n/",
    "/jsi18n/",
    "/healthz",
)


class PrivacyConsentMiddleware:
    """A signed-in person who has not agreed to the privacy notice in force (settings.PRIVACY_NOTICE_VERSION) is
    asked to, on the next page they open, and then taken where they were going.

    Only page navigations are redirected (a GET that accepts HTML): a form being sent, a socket, a file or a
    script's request for JSON goes through, so a change of notice never breaks work in progress.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_accept(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('privacy:consent')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _must_accept(request: HttpRequest) -> bool:
        if request.method != "GET" or "text/html" not in request.headers.get("Accept", ""):
            return False
        if request.path.startswith(OPEN_PREFIXES) or not request.user.is_authenticated:
            return False
        current = privacy_notice_version()
        if request.session.get(SESSION_KEY) == current:
            return False
        if consented_notice_version(request.user) != current:
            return True
        request.session[SESSION_KEY] = current
        return False
