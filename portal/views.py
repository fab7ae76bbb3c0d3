from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from wagtail.models import Page, Site
from wagtail.views import serve as serve_wagtail_page

from marketplace.centres.selectors import centres_staffed_by, staff_scope
from marketplace.organisations.selectors import memberships_of, organisations_to_verify
from portal.selectors import platform_overview
from portal.workspace import workspace_panels


def home(request):
    # Once the CMS has a home page (the site's root page is a page type of ours, not Wagtail's bare welcome
    # page), "/" is that page, edited in the CMS; until then it is this built-in one.
    site = Site.find_for_request(request)
    if site is not None and site.root_page.specific_class not in (None, Page):
        return serve_wagtail_page(request, "")
    return render(request, "portal/home.html", {"overview": platform_overview()})


@login_required
def workspace(request):
    scope = staff_scope(request.user)
    context = {
        "memberships": memberships_of(request.user),
        "staff_centres": centres_staffed_by(request.user),
        "is_staff": scope.is_staff,
        "pending_verifications": organisations_to_verify(request.user).filter(verified=False)[:10]
        if scope.is_staff
        else [],
        "panels": workspace_panels(request),
    }
    return render(request, "portal/workspace.html", context)
