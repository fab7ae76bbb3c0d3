"""Deal pages: one deal's lifecycle (sign, register, settle, cancel), its contract as HTML and PDF, the list of
a person's deals and "why we passed". Thin adapters: reads through selectors, writes through services."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from deals.contracts import (
    Contract,
    accepted_terms,
    build_contract,
    build_contract_versions,
    contract_reference,
    contract_total_fen,
    render_contract_pdf,
)
from deals.deal_forms import CancelForm, RegistrationForm, ShareRegistrationForm, SignForm
from deals.deal_workspace import (
    Action,
    NextStep,
    buyer_pays,
    deal_steps,
    may_see_pass_reasons,
    next_step,
    shares_to_register,
)
from deals.models import Deal, DealStatus, Negotiation, NegotiationStatus, PassReason, Side
from deals.selectors import (
    deal_patents,
    deal_side,
    deals_visible_to,
    negotiations_visible_to,
    pass_reasons_for,
    signed_contract_of,
)
from deals.services.deals import (
    TRANSITIONS,
    contract_type_for,
    deal_cancel,
    deal_register,
    deal_sign,
    equity_record_share_registration,
)
from deals.services.notices import notice_signing_refusal
from marketplace.centres.selectors import staff_scope
from marketplace.core.forms import add_service_error, service_error_text
from marketplace.organisations.selectors import (
    BindingAct,
    SignatoryRequired,
    organisation_ids_of,
    signing_refusal,
)

PAGE_SIZE = 25
# From the signed contract on, the payments app has a page for the deal (the schedule, payments, refunds).
PAYABLE_STATES = (DealStatus.CONTRACT_SIGNED, DealStatus.REGISTERED, DealStatus.SETTLED, DealStatus.COMPLETED)
RECENT_OTHER_REASONS = 20


def _visible_deal(request: HttpRequest, pk: int) -> Deal:
    """The deal if the person may see it; a 404 otherwise, so outsiders do not learn that it exists."""
    return get_object_or_404(
        deals_visible_to(request.user).select_related(
            "registration", "share_registration", "buyer_signed_by", "seller_signed_by"
        ),
        pk=pk,
    )


def _payment_url(deal: Deal) -> str:
    """The payments app's page for the deal, or '' until that app provides one (never a broken link)."""
    try:
        return reverse("payments:deal", args=[deal.pk])
    except NoReverseMatch:
        return ""


def _may_cancel(deal: Deal, side: str | None) -> bool:
    return side in TRANSITIONS.get((deal.status, DealStatus.CANCELLED), frozenset())


def _registration_form(deal: Deal, data=None) -> RegistrationForm:
    initial = {
        "contract_type": contract_type_for(deal),
        "contract_total_fen": contract_total_fen(deal.offer),
        "registered_on": timezone.localdate(),
    }
    return RegistrationForm(data, initial=initial, prefix="registration")


def _share_form(deal: Deal, data=None) -> ShareRegistrationForm:
    initial = {"company": deal.offer.receiving_company, "share_percent": deal.offer.share_percent}
    return ShareRegistrationForm(data, initial=initial, prefix="shares")


def _render_detail(request: HttpRequest, deal: Deal, **bound_forms) -> HttpResponse:
    """The deal page, with the forms the viewer's side may use now. A bound form with errors replaces its blank
    one; it is dropped if the side may not use that form at all (the service would refuse it anyway)."""
    side = deal_side(deal, request.user)
    step = next_step(deal, side)
    forms = {}
    sign_refusal = ""
    notice_refusal = notice_signing_refusal(deal) if deal.status == DealStatus.AGREED else ""
    if step.action == Action.SIGN and not notice_refusal:
        sign_refusal = signing_refusal(request.user, deal.buyer if side == Side.BUYER else deal.seller, BindingAct.SIGN)
        if not sign_refusal:
            forms["sign_form"] = SignForm(prefix="sign")
    if step.action == Action.REGISTER:
        forms["registration_form"] = _registration_form(deal)
    if side == Side.BROKER and shares_to_register(deal):
        forms["share_form"] = _share_form(deal)
    if _may_cancel(deal, side):
        forms["cancel_form"] = CancelForm(prefix="cancel")
    forms.update({name: form for name, form in bound_forms.items() if name in forms})
    context = {
        "deal": deal,
        "offer": deal.offer,
        "side": side,
        "side_label": Side(side).label if side else "",
        "step": step,
        "sign_refusal": sign_refusal,
        "notice_refusal": notice_refusal,
        "price_notice": getattr(deal, "price_notice", None),
        "steps": deal_steps(deal),
        "terms": accepted_terms(deal.offer),
        "patents": deal_patents(deal),
        "registration": getattr(deal, "registration", None),
        "share_registration": getattr(deal, "share_registration", None),
        "events": deal.events.select_related("actor"),
        "payments_url": _payment_url(deal) if buyer_pays(deal) and deal.status in PAYABLE_STATES else "",
        **forms,
    }
    return render(request, "deals/deal_detail.html", context)


@dataclass(frozen=True)
class DealRow:
    deal: Deal
    side_label: str
    step: NextStep
    pay_url: str


@login_required
@require_GET
def my_deals(request):
    """Every deal the person takes part in: as buyer, seller, or staff of the hosting centre (or above)."""
    deals = deals_visible_to(request.user).select_related("share_registration").order_by("-created_at", "-pk")
    page = Paginator(deals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for deal in page:
        side = deal_side(deal, request.user)
        step = next_step(deal, side)
        pay_url = _payment_url(deal) if step.action == Action.PAY else ""
        rows.append(DealRow(deal=deal, side_label=Side(side).label if side else "", step=step, pay_url=pay_url))
    context = {"page": page, "rows": rows, "pass_reasons": may_see_pass_reasons(request.user)}
    return render(request, "deals/deal_list.html", context)


@login_required
@require_GET
def detail(request, pk: int):
    return _render_detail(request, _visible_deal(request, pk))


def _contract_for(deal: Deal) -> Contract:
    return build_contract(
        deal=deal,
        patents=deal_patents(deal),
        registration=getattr(deal, "registration", None),
        share_registration=getattr(deal, "share_registration", None),
    )


@login_required
@require_GET
def contract(request, pk: int):
    deal = _visible_deal(request, pk)
    context = {"deal": deal, "contract": _contract_for(deal), "signed_contract": signed_contract_of(deal)}
    return render(request, "deals/contract.html", context)


@login_required
@require_GET
def contract_pdf(request, pk: int):
    deal = _visible_deal(request, pk)
    signed = signed_contract_of(deal)
    if signed is not None:
        pdf, filename = bytes(signed.pdf), f"contract-{contract_reference(deal)}.pdf"
    else:
        # Until the platform has signed it: the same text, marked as a draft.
        chinese, english = build_contract_versions(
            deal=deal,
            patents=deal_patents(deal),
            registration=getattr(deal, "registration", None),
            share_registration=getattr(deal, "share_registration", None),
        )
        pdf, filename = render_contract_pdf(chinese, translation_of=english, draft=True), chinese.filename
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A contract names the parties and the price: keep it out of shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def sign(request, pk: int):
    deal = _visible_deal(request, pk)
    form = SignForm(request.POST, prefix="sign")
    if not form.is_valid():
        return _render_detail(request, deal, sign_form=form)
    try:
        deal = deal_sign(deal=deal, actor=request.user)
    except (ValidationError, SignatoryRequired) as error:
        messages.error(request, service_error_text(error))
    else:
        if deal.status == DealStatus.CONTRACT_SIGNED:
            messages.success(request, _("Both parties have signed: the contract is signed."))
        else:
            messages.success(request, _("You signed the contract. The other party's signature is awaited."))
    return redirect("deals:detail", pk=deal.pk)


def _submit(request: HttpRequest, deal: Deal, form, form_name: str, service, success: str) -> HttpResponse:
    """A form of the deal page: its data goes to the service; a refusal is shown on the form, in the page."""
    if form.is_valid():
        try:
            service(deal=deal, actor=request.user, **form.cleaned_data)
        except (ValidationError, SignatoryRequired) as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("deals:detail", pk=deal.pk)
    return _render_detail(request, deal, **{form_name: form})


@login_required
@require_POST
def register(request, pk: int):
    deal = _visible_deal(request, pk)
    form = _registration_form(deal, request.POST)
    success = _("The technology contract registration is recorded.")
    return _submit(request, deal, form, "registration_form", deal_register, success)


@login_required
@require_POST
def shares(request, pk: int):
    deal = _visible_deal(request, pk)
    form = _share_form(deal, request.POST)
    success = _("The share registration is recorded: the contribution is settled.")
    return _submit(request, deal, form, "share_form", equity_record_share_registration, success)


@login_required
@require_POST
def cancel(request, pk: int):
    deal = _visible_deal(request, pk)
    form = CancelForm(request.POST, prefix="cancel")
    return _submit(request, deal, form, "cancel_form", deal_cancel, _("The deal is cancelled."))


def _recent_other_reasons(user) -> list[Negotiation]:
    """The words buyers gave for "other", in the same scope as `pass_reasons_for` (the seller's listings, the
    centre's hosted listings), newest first. Belongs beside `pass_reasons_for` in selectors.py."""
    passed = negotiations_visible_to(user).filter(status=NegotiationStatus.PASSED, pass_reason=PassReason.OTHER)
    scope = staff_scope(user)
    if not scope.everything:
        # negotiations_visible_to also holds those the person's organisation passed on as a buyer.
        condition = Q(listing__seller_id__in=organisation_ids_of(user))
        if scope.is_staff:
            condition |= scope.filter_q("listing__centre_id")
        passed = passed.filter(condition)
    return list(passed.exclude(pass_reason_text="").order_by("-last_activity_at", "-pk")[:RECENT_OTHER_REASONS])


@login_required
@require_GET
def pass_reasons(request):
    """Why buyers passed, in aggregate: for sellers (their listings) and centre staff (what their centre hosts)."""
    if not may_see_pass_reasons(request.user):
        raise PermissionDenied(_("Only sellers and operation centre staff see why buyers passed."))
    counts = pass_reasons_for(request.user)
    total = sum(row["count"] for row in counts)
    rows = [
        {
            "reason": PassReason(row["pass_reason"]).label if row["pass_reason"] in PassReason.values else "—",
            "count": row["count"],
            # Whole percent, rounded half up, from integers.
            "percent": (200 * row["count"] + total) // (2 * total),
        }
        for row in counts
    ]
    return render(
        request,
        "deals/pass_reasons.html",
        {"rows": rows, "total": total, "other_reasons": _recent_other_reasons(request.user)},
    )
