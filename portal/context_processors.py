from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

# The main sections, in order. A section whose app has no page yet is left out rather than linked to a 404.
SECTIONS = [
    ("home", _("Home"), "portal:home"),
    ("patents", _("Patents"), "search:finder"),
    ("demands", _("Demands"), "demands:list"),
    ("auctions", _("Auctions"), "auctions:list"),
    ("policy", _("Policy"), "cms:policy_index"),
    ("indicators", _("Indicators"), "indicators:dashboard"),
    ("network", _("1+X network"), "centres:network"),
    ("workspace", _("My workspace"), "portal:workspace"),
]


@lru_cache(maxsize=8)
def _navigation_items(urlconf, script_prefix) -> tuple[dict, ...]:
    # Every page shows it: reversed once per URL configuration (tests swap it) and prefix, the labels translated
    # when shown.
    items = []
    for key, label, url_name in SECTIONS:
        try:
            items.append({"key": key, "label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return tuple(items)


def navigation(request):
    items = _navigation_items(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    path = request.path
    active = "home" if path == "/" else ""
    for item in items:
        if item["url"] != "/" and path.startswith(item["url"]):
            active = item["key"]
    return {"nav_items": items, "nav_active": active}
