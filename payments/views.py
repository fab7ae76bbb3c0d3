"""The payment page of a deal, the gateway's webhook, and the staff actions. Thin: forms in, services out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplace.centres.selectors import staff_scope
from marketplace.core.downloads import protected_file_response
from marketplace.deals.selectors import deals_visible_to
from marketplace.organisations.selectors import organisation_ids_of
from payments.forms import BankTransferForm, CardPaymentForm, RefundForm, RoyaltyReportForm
from payments.gateways import get_gateway
from payments.gateways.base import InvalidSignature, PaymentError
from payments.models import Instalment, Payment, PaymentMethod
from payments.selectors import (
    amount_paid_fen,
    bank_transfers_visible_to,
    deal_schedule,
    transfers_awaiting_confirmation,
)
from payments.services import (
    bank_transfer_confirm,
    bank_transfer_record,
    card_payment_start,
    refund_issue,
    royalty_report_submit,
    webhook_handle,
)


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _flash_form_errors(request, form) -> None:
    """Each error with the label of the field it is about: the page shows the forms' errors as messages."""
    for name, errors in form.errors.items():
        for message in errors:
            if name == NON_FIELD_ERRORS:
                messages.error(request, message)
            else:
                messages.error(request, _("%(field)s: %(error)s") % {"field": form[name].label, "error": message})


@login_required
def deal_payments(request, pk: int):
    deal = get_object_or_404(deals_visible_to(request.user), pk=pk)
    is_buyer = deal.buyer_id in organisation_ids_of(request.user)
    is_staff = staff_scope(request.user).covers(deal.centre_id)
    context = {
        "deal": deal,
        "schedule": deal_schedule(deal),
        "paid_fen": amount_paid_fen(deal),
        "is_buyer": is_buyer,
        "is_staff": is_staff,
        "card_limit_fen": get_gateway().max_charge_fen,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "awaiting": transfers_awaiting_confirmation(deal) if is_staff else [],
        "royalty_form": RoyaltyReportForm()
        if is_buyer and (deal.offer.royalty_rate or deal.offer.minimum_annual_royalty_fen)
        else None,
        "transfer_form_class": BankTransferForm,
    }
    return render(request, "payments/deal_payments.html", context)


def _instalment_for(request, deal_pk: int, instalment_pk) -> Instalment:
    deal = get_object_or_404(deals_visible_to(request.user), pk=deal_pk)
    return get_object_or_404(Instalment, pk=instalment_pk, deal=deal)


@login_required
@require_POST
def pay_by_card(request, pk: int):
    # The deal first: someone who may not see it learns nothing, not even whether the form was valid.
    get_object_or_404(deals_visible_to(request.user), pk=pk)
    form = CardPaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The card details did not reach us; please enter them again."))
        return redirect("payments:deal", pk=pk)
    instalment = _instalment_for(request, pk, form.cleaned_data["instalment"])
    try:
        payment = card_payment_start(instalment=instalment, actor=request.user, token=form.cleaned_data["token"])
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        if payment.status == "succeeded":
            messages.success(request, _("Paid. Thank you."))
        else:
            messages.info(request, _("The payment is being processed; this page will show it once confirmed."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def record_transfer(request, pk: int):
    get_object_or_404(deals_visible_to(request.user), pk=pk)
    form = BankTransferForm(request.POST, request.FILES)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    data = form.cleaned_data
    instalment = _instalment_for(request, pk, data["instalment"])
    try:
        bank_transfer_record(
            instalment=instalment,
            actor=request.user,
            payer=data["payer"],
            amount_fen=data["amount_fen"],
            transferred_on=data["transferred_on"],
            bank_reference=data["bank_reference"],
            evidence=data["evidence"],
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Transfer recorded. A second staff member must confirm it before it counts."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def confirm_transfer(request, pk: int, payment_pk: int):
    deal = get_object_or_404(deals_visible_to(request.user), pk=pk)
    # A card payment's number in this address is not a transfer to confirm: not found, like any other number.
    payment = get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.BANK_TRANSFER)
    try:
        bank_transfer_confirm(payment=payment, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Transfer confirmed."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_GET
def transfer_evidence(request, pk: int, payment_pk: int):
    """The bank receipt behind a transfer, to the people who may see the deal; a 404 to anyone else."""
    transfer = get_object_or_404(
        bank_transfers_visible_to(request.user), payment_id=payment_pk, payment__instalment__deal_id=pk
    )
    return protected_file_response(transfer.evidence, filename=transfer.evidence.name)


@login_required
@require_POST
def refund(request, pk: int):
    deal = get_object_or_404(deals_visible_to(request.user), pk=pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    payment = get_object_or_404(Payment, pk=form.cleaned_data["payment"], instalment__deal=deal)
    try:
        refund_issue(
            payment=payment,
            actor=request.user,
            amount_fen=form.cleaned_data["amount_fen"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _flash_errors(request, error)
    except PaymentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Refund issued."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def report_royalty(request, pk: int):
    deal = get_object_or_404(deals_visible_to(request.user), pk=pk)
    form = RoyaltyReportForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    try:
        royalty_report_submit(deal=deal, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Sales reported; the royalty is now due."))
    return redirect("payments:deal", pk=pk)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify, record, act once. Quick: one lookup and at most one state read from the gateway."""
    try:
        event = get_gateway().parse_webhook(request.body, request.headers.get("Stripe-Signature", ""))
    except InvalidSignature:
        return HttpResponseBadRequest("invalid signature")
    try:
        outcome = webhook_handle(event)
    except PaymentError:
        # The gateway could not be read: answer 503 so it retries later; nothing has changed.
        return HttpResponse("gateway unavailable, retry", status=503)
    return HttpResponse(outcome)
