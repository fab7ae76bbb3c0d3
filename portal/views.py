import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site
from wagtail.views import serve as serve_wagtail_page

from marketplace.centres.selectors import centres_staffed_by, staff_scope
from marketplace.core.pagination import page_links_of
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import (
    memberships_of,
    organisations_to_verify,
    signatories_to_verify,
    signatory_organisation_ids,
)
from portal.selectors import (
    may_see_organisation_audit,
    organisation_audit_entries,
    organisation_audit_rows,
    platform_overview,
)
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
        "signatory_of": signatory_organisation_ids(request.user),
        "staff_centres": centres_staffed_by(request.user),
        "is_staff": scope.is_staff,
        "pending_verifications": organisations_to_verify(request.user).filter(verified=False)[:10]
        if scope.is_staff
        else [],
        "pending_signatories": signatories_to_verify(request.user)[:10] if scope.is_staff else [],
        "panels": workspace_panels(request),
    }
    return render(request, "portal/workspace.html", context)


AUDIT_PAGE_SIZE = 50
AUDIT_CSV_CHUNK = 1000


def _audited_organisation(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("centre"), pk=pk)
    if not may_see_organisation_audit(request.user, organisation):
        raise PermissionDenied(
            _(
                "Only the organisation's administrators and signatories, and staff of its operation centre, see its "
                "audit trail."
            )
        )
    return organisation


@login_required
@require_GET
def organisation_audit(request, pk: int):
    """Who did what with the organisation's money and signatures, newest first, a page at a time."""
    organisation = _audited_organisation(request, pk)
    page = Paginator(organisation_audit_rows(organisation), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "entries": organisation_audit_entries(page.object_list),
        "pages": page_links_of(page),
    }
    response = render(request, "portal/organisation_audit.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _yuan(fen: int | None) -> str:
    # Integer arithmetic all the way: 123456 fen -> "1234.56".
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _audit_csv_lines(organisation: Organisation) -> Iterator[str]:
    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line())
    # A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
    yield "\ufeff" + writer.writerow([_("Time"), _("Person"), _("Action"), _("Subject"), _("Amount (yuan)"), _("Note")])
    rows = organisation_audit_rows(organisation)
    start = 0
    while True:
        chunk = organisation_audit_entries(rows[start : start + AUDIT_CSV_CHUNK])
        for entry in chunk:
            yield writer.writerow(
                [
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    str(entry.actor) if entry.actor else _("the platform"),
                    entry.action,
                    entry.subject,
                    _yuan(entry.amount_fen),
                    entry.note,
                ]
            )
        if len(chunk) < AUDIT_CSV_CHUNK:
            return
        start += AUDIT_CSV_CHUNK


@login_required
@require_GET
def organisation_audit_csv(request, pk: int):
    """The whole audit trail as CSV, for the organisation's own records or an inspection."""
    organisation = _audited_organisation(request, pk)
    response = StreamingHttpResponse(_audit_csv_lines(organisation), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-organisation-{organisation.pk}-{stamp}.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response
