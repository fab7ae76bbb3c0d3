"""The public pages as an anonymous visitor sees them, kept in Django's cache; and every page's Cache-Control.

Most visitors of the home page, the finder and a listing's page are not signed in, and see exactly what the
previous anonymous visitor saw. `PublicPageCacheMiddleware` keeps those responses (settings.PUBLIC_PAGE_CACHE_VIEWS
names the views) in the default cache (Redis through marketplace.core.cache when REDIS_URL is set, this process's
memory otherwise) and serves them without running the view. The rules, each of which a test holds
(tests/portal/test_page_cache.py):

- Only a GET from a visitor without a session or messages cookie is answered from the cache or stored in it:
  a signed-in person always carries the session cookie, so their page is always rendered for them, and a page
  rendered for them is never stored.
- Only a 200 that sets no cookie, used no CSRF token (a page holding a form is not the same for two visitors)
  nor the Content Security Policy nonce (an inline script carries this response's own; served again, it would
  not match the next response's policy and be refused), and does not say private / no-store / no-cache itself
  is stored.
- The key is scheme, host, path and query, and the active language (the language cookie), under the current
  *generation*: `invalidate_public_pages()` moves the generation on, which orphans every stored page at once
  (they expire by themselves, PUBLIC_PAGE_CACHE_SECONDS at most). portal/receivers.py calls it when a listing,
  a seller, a centre or a CMS page changes; it is one cache increment, cheap enough to run inline.
- Stored pages go out with `Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE`, an ETag (a conditional GET
  gets a 304) and `Vary: Cookie`: the same address is another page for a signed-in person or in another
  language, so a browser or proxy must not reuse it across cookies.
- Any page rendered for a signed-in person says `Cache-Control: private`: `no-cache` on the public pages (the
  browser may keep it but asks first), `no-store` everywhere else (workspaces, deals, payments: money and
  personal data), unless the view chose its own.

While Redis is down the cache falls back to each process's memory, where a generation moved by one process is
not seen by another: pages may then be stale for up to PUBLIC_PAGE_CACHE_SECONDS, never shown to the wrong person.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "pagecache:generation"
# django.contrib.messages keeps a message for the next page in this cookie (CookieStorage.cookie_name).
MESSAGES_COOKIE = "messages"
# Response headers a stored page keeps; everything else is added on the way out by the middleware around us.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


def page_cache_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh counter starts from the clock, not from 1, so a counter lost from the cache (evicted, Redis
        # restarted) never comes back to a number whose pages are still stored.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return int(generation or 0)


def forget_stored_pages() -> None:
    """Move the generation on now (invalidate_public_pages does it twice around a commit; tests, between tests)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet: nothing can be stored under a generation that does not exist
        page_cache_generation()


def invalidate_public_pages() -> None:
    """Forget every stored public page: now, and again once the current transaction commits (a visitor served
    between the two would otherwise store the page as it was before the change)."""
    forget_stored_pages()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(forget_stored_pages)


def _key(request: HttpRequest, generation: int) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"pagecache:{generation}:{get_language()}:{digest}"


# The generation this process saw last: looking the page up under it in the same round trip as the counter
# saves a second one on every hit, and is only a guess (a moved counter means one more look-up).
_last_generation = 0


def _lookup(request: HttpRequest) -> tuple[str, tuple | None]:
    """The page's key under the current generation, and what is stored under it."""
    global _last_generation
    guess = _last_generation
    guessed_key = _key(request, guess)
    found = cache.get_many([GENERATION_KEY, guessed_key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = page_cache_generation()
    _last_generation = generation = int(generation)
    if generation == guess:
        return guessed_key, found.get(guessed_key)
    key = _key(request, generation)
    return key, cache.get(key)


def _is_anonymous_visit(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _is_public_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.view_name in settings.PUBLIC_PAGE_CACHE_VIEWS


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token (django.middleware.csrf)
        return False
    if get_nonce(request):  # true once something used it (django.utils.csp.LazyNonce)
        return False
    # Cookies the middleware around us would set on the way out: a session written to, a message left for later.
    session, messages = getattr(request, "session", None), getattr(request, "_messages", None)
    if (session is not None and session.modified) or getattr(messages, "added_new", False):
        return False
    if _signed_in(request):  # never without a session cookie; checked all the same
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _public_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    patch_vary_headers(response, ("Cookie",))
    return response


class PublicPageCacheMiddleware:
    """See the module's docstring. Sits last in MIDDLEWARE, so what it stores is the view's response alone
    and a hit still passes through every other middleware (security headers, language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_page_cache_hit", False):
            return response
        key = getattr(request, "_page_cache_key", None)
        if key is not None and _storable(request, response):
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers, etag), settings.PUBLIC_PAGE_CACHE_SECONDS)
            _public_headers(response, etag)
            return get_conditional_response(request, etag=etag, response=response) or response
        if response.has_header("Cache-Control"):
            return response
        if _is_public_view(request):
            # Rendered for this visitor (signed in, or with a message waiting): theirs alone.
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
        elif settings.SESSION_COOKIE_NAME in request.COOKIES and _signed_in(request):
            # Only with a session cookie: an anonymous visitor's session is never loaded for this.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if (
            settings.PUBLIC_PAGE_CACHE_SECONDS <= 0
            or request.method != "GET"
            or not _is_public_view(request)
            or not _is_anonymous_visit(request)
        ):
            return None
        key, stored = _lookup(request)
        if stored is None:
            request._page_cache_key = key
            return None
        content, headers, etag = stored
        request._page_cache_hit = True
        response = _public_headers(HttpResponse(content, headers=headers), etag)
        return get_conditional_response(request, etag=etag, response=response) or response
