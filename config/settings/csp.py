"""The Content Security Policy: what a page of ours may load, run, connect to and be framed by.

Django's own middleware sends it (django.middleware.csp); docs/content-security-policy.md explains each
directive and how to allow another origin. Built by functions rather than written out once because its Stripe
part follows STRIPE_JS_URL, which the environment modules change after base.py (dev serves localstripe's
stand-in).
"""

from urllib.parse import urlsplit

from django.utils.csp import CSP

# Stripe's own Stripe.js: the sources Stripe's security guide lists for it (its card fields and the bank's 3-D
# Secure page are frames of Stripe's; it calls Stripe's API from the browser).
STRIPE_JS_ORIGIN = "https://js.stripe.com"
STRIPE_JS_SOURCES = {
    "script-src": [STRIPE_JS_ORIGIN, "https://*.js.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
    "frame-src": [STRIPE_JS_ORIGIN, "https://*.js.stripe.com", "https://hooks.stripe.com"],
}
# Directives another origin may be added to through settings.CSP_EXTRA_SOURCES.
EXTENDABLE = ("script-src", "style-src", "img-src", "font-src", "connect-src", "frame-src", "form-action")


def origin(url: str) -> str:
    """scheme://host[:port] of an absolute address, "" for anything else."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def socket_origin(site_url: str) -> str:
    """The WebSocket origin of the site: 'self' covers it in current browsers, older Safari needs it named."""
    parts = urlsplit(site_url or "")
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme)
    return f"{scheme}://{parts.netloc}" if scheme and parts.netloc else ""


def stripe_sources(stripe_js_url: str) -> dict[str, list[str]]:
    """What the payment page's Stripe.js needs. Stripe's own needs its frames and API; a stand-in served from
    elsewhere (localstripe, in development and the tests) calls the address it was loaded from and has no frames."""
    js_origin = origin(stripe_js_url)
    if not js_origin:
        return {}
    if js_origin == STRIPE_JS_ORIGIN:
        return STRIPE_JS_SOURCES
    return {"script-src": [js_origin], "connect-src": [js_origin]}


def _with(policy: dict, extra: dict[str, list[str]]) -> dict:
    for directive, sources in extra.items():
        if directive not in EXTENDABLE:
            raise ValueError(f"CSP_EXTRA_SOURCES may extend {', '.join(EXTENDABLE)}, not {directive!r}")
        kept = [source for source in policy.get(directive, []) if source != CSP.NONE]
        policy[directive] = list(dict.fromkeys([*kept, *sources]))
    return policy


def site_policy(*, site_url: str, stripe_js_url: str, extra: dict[str, list[str]] | None = None) -> dict:
    """The policy of every page of the public site and the workspace: our own files only, scripts only from
    our origin or with this response's nonce, no inline style, no plugin, framed by nobody."""
    stripe = stripe_sources(stripe_js_url)
    policy = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE, *stripe.get("script-src", [])],
        # Inline <style> and style="" are refused: the pages' styles are files in static/css.
        "style-src": [CSP.SELF],
        # data: for the icons inside Swagger UI's stylesheet (the API's docs page, /api/v1/docs).
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF, *filter(None, [socket_origin(site_url)]), *stripe.get("connect-src", [])],
        "frame-src": stripe.get("frame-src") or [CSP.NONE],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }
    return _with(policy, extra or {})


def cms_admin_policy(site: dict) -> dict:
    """Wagtail's admin (/cms/), which only editors reach: its own templates carry inline <script> blocks without
    a nonce (date pickers, inline panels, search promotions) and style="" attributes, so it may run inline script
    and style. Without a nonce in it, since a nonce makes browsers ignore 'unsafe-inline'. Its page preview is
    an admin page in a frame of the admin, and image uploads are previewed from blob: addresses."""
    return {
        **site,
        "script-src": [source for source in site["script-src"] if source != CSP.NONCE] + [CSP.UNSAFE_INLINE],
        "style-src": [*site["style-src"], CSP.UNSAFE_INLINE],
        "img-src": [*site["img-src"], "blob:"],
        "frame-src": [CSP.SELF],
        "frame-ancestors": [CSP.SELF],
    }
