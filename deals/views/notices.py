"""The public notices of agreed prices (协议定价公示): their list and pages, open to everyone and kept in the public
page cache for anonymous visitors (settings.PUBLIC_PAGE_CACHE_VIEWS: an anonymous visitor gets no form, hence no
token); a signed-in person objects from a notice's page, staff of the hosting centre decide the objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deals.deal_forms import ObjectionDecisionForm, ObjectionForm
from deals.models import NoticeObjection, ObjectionStatus, PriceNoticeStatus
from deals.selectors import (
    may_resolve_objections,
    objections_awaiting_decision,
    price_notice_objections_for,
    price_notices_public,
)
from deals.services.objections import notice_objection_file, notice_objection_resolve
from marketplace.centres.selectors import staff_scope
from marketplace.core.forms import add_service_error
from marketplace.core.pagination import page_links_of

PAGE_SIZE = 20


def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(price_notices_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    # Staff see how many objections wait for them (anonymous visitors get the cached page, with no such line).
    awaiting = objections_awaiting_decision(request.user).count() if staff_scope(request.user).is_staff else None
    context = {"notices": page.object_list, "pages": page_links_of(page), "objections_awaiting": awaiting}
    return render(request, "deals/notices/list.html", context)


def _render_detail(request: HttpRequest, notice, *, objection_form=None) -> HttpResponse:
    user = request.user
    accepting = (
        notice.status in (PriceNoticeStatus.OPEN, PriceNoticeStatus.OBJECTED) and notice.ends_at > timezone.now()
    )
    resolver = may_resolve_objections(notice, user)
    objections = list(price_notice_objections_for(notice, user))
    if resolver:
        for objection in objections:
            if objection.status == ObjectionStatus.OPEN:
                objection.decision_form = ObjectionDecisionForm(prefix=f"objection-{objection.pk}")
    context = {
        "notice": notice,
        "accepting": accepting,
        "objection_form": (objection_form or ObjectionForm()) if accepting and user.is_authenticated else None,
        "objections": objections,
        "resolver": resolver,
        "canonical_url": request.build_absolute_uri(notice.get_absolute_url()),
    }
    return render(request, "deals/notices/detail.html", context)


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_object_or_404(price_notices_public(), pk=pk))


@login_required
@require_POST
def notice_object(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(price_notices_public(), pk=pk)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            notice_objection_file(notice=notice, actor=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your objection is filed: the deal is paused until staff review it."))
            return redirect(notice.get_absolute_url())
    notice.refresh_from_db()
    return _render_detail(request, notice, objection_form=form)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(NoticeObjection.objects.select_related("notice"), pk=pk)
    notice = objection.notice
    if not may_resolve_objections(notice, request.user):
        raise PermissionDenied(_("Only staff of the deal's hosting centre resolve objections."))
    form = ObjectionDecisionForm(request.POST, prefix=f"objection-{objection.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give its reason."))
        return redirect(notice.get_absolute_url())
    upheld = form.cleaned_data["decision"] == "uphold"
    try:
        notice_objection_resolve(
            objection=objection, actor=request.user, upheld=upheld, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The objection is upheld: the deal is withdrawn.")
            if upheld
            else _("The objection is dismissed: the deal proceeds."),
        )
    return redirect(notice.get_absolute_url())


@login_required
def objection_queue(request: HttpRequest) -> HttpResponse:
    """Staff of a centre: the objections awaiting their decision, each pausing a deal."""
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(_("Only operation centre staff decide objections."))
    page = Paginator(objections_awaiting_decision(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "deals/notices/objections.html", {"objections": page.object_list, "pages": page_links_of(page)}
    )
