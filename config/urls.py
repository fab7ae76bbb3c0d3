from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog, set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from auctions.sitemaps import AuctionRoundSitemap
from config.api import api
from config.health import healthz, healthz_live
from deals.sitemaps import PriceNoticeSitemap
from demands.sitemaps import DemandSitemap
from listings.sitemaps import ListingSitemap


def with_cms_admin_policy(view):
    """Wagtail's admin carries inline scripts and style attributes of its own, which the site's policy refuses:
    its views, which only editors reach, get the relaxed settings.CMS_ADMIN_CSP (config/settings/csp.py).
    Everything else, django-admin included, keeps the strict SECURE_CSP."""
    relaxed = csp_override(settings.CMS_ADMIN_CSP)(view)

    @wraps(view)
    def view_with_cms_admin_policy(request, *args, **kwargs):
        response = relaxed(request, *args, **kwargs)
        # A page preview is rendered through the whole middleware stack once more (Wagtail's make_preview_request),
        # which gave it the site's policy, framed by nobody; it is shown in a frame of the admin.
        response.headers.pop(CSP.HEADER_ENFORCE, None)
        return response

    return view_with_cms_admin_policy


decorate_urlpatterns(wagtailadmin_urls.urlpatterns, with_cms_admin_policy)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz_live, name="healthz_live"),
    # Exempt from CSRF so that the switcher in every page's header needs no token: a page with a token differs per
    # visitor and cannot be cached (marketplace.core.pagecache). A forged request can only choose the language
    # of the victim's next pages (Chinese or English), which the victim undoes in one click: nothing to protect.
    # set_language still refuses a `next` off this site.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("marketplace.accounts.urls")),
    path("privacy/", include("marketplace.accounts.privacy_urls")),
    path("organisations/", include("marketplace.organisations.urls")),
    path("centres/", include("marketplace.centres.urls")),
    # The finder (/patents/) and the saved searches (/search/...) are the search app's, the listing pages below
    # /patents/ the listings app's: listings does not know search (tests/test_layers.py).
    path("", include("search.urls")),
    path("patents/", include("listings.urls")),
    path("demands/", include("demands.urls")),
    path("matching/", include("matching.urls")),
    path("deals/negotiations/", include("deals.negotiation_urls")),
    path("deals/", include("deals.urls")),
    path("notices/", include("deals.notice_urls")),
    path("auctions/", include("auctions.urls")),
    path("drives/", include("drives.urls")),
    path("indicators/", include("indicators.urls")),
    path("payments/", include("payments.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                "listings": ListingSitemap,
                "demands": DemandSitemap,
                "notices": PriceNoticeSitemap,
                "auctions": AuctionRoundSitemap,
            }
        },
        name="sitemap",
    ),
    # The policy index's stable name for the navigation, and its RSS feed (/policy/, /policy/feed/).
    path("", include("cms.urls")),
    path("", include("portal.urls")),
]

# Uploaded files are never served from MEDIA_ROOT as a directory: listing attachments and bank receipts go out
# through views that check who may have them (listings:attachment, payments:transfer_evidence). Only the CMS's
# public image renditions are served from there, and only by the development server (DEBUG); in production the
# proxy serves MEDIA_ROOT/images/ and nothing else below MEDIA_ROOT.
if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images")

# Wagtail serves the CMS pages (policy news, about, help, the centres' news) from the root; it comes last, as a
# catch-all. "/" stays portal:home, which hands over to the CMS home page once there is one.
urlpatterns += [path("", include(wagtail_urls))]
