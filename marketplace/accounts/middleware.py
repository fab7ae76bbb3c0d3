from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from marketplace.accounts.selectors import consented_notice_version, privacy_notice_version

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
