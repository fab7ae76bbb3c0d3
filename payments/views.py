"""The payment page of a deal, the pay button's answers, the gateway's webhook, and the staff actions. Thin:
forms in, services out."""

from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from deals.selectors import deals_visible_to
from marketplace.centres.selectors import staff_scope
from marketplace.core.downloads import protected_file_response
from marketplace.core.forms import flash_service_error, refusal_flashed, service_error_text
from marketplace.organisations.selectors import organisation_ids_of
from payments.forms import (
    AutoPayForm,
    BankTransferForm,
    CardPaymentForm,
    RefundForm,
    RejectTransferForm,
    RoyaltyReportForm,
    TransferDeclarationForm,
)
from payments.gateways import get_gateway
from payments.gateways.base import InvalidSignature, PaymentError
from payments.models import Instalment, Payment, PaymentMethod, PaymentStatus, SavedCard
from payments.selectors import (
    amount_paid_fen,
    bank_transfers_visible_to,
    deal_schedule,
    payments_needing_attention,
    saved_cards_for,
    transfers_awaiting_confirmation,
)
from payments.services import (
    bank_transfer_confirm,
    bank_transfer_declare,
    bank_transfer_record,
    bank_transfer_reject,
    bank_transfer_withdraw,
    card_attempt_cancel,
    card_payment_submit,
    collection_account_for,
    open_payment_of,
    payment_refresh,
    refund_issue,
    royalty_report_submit,
    saved_card_remove,
    saved_card_set_auto_pay,
    transfer_reference,
    webhook_handle,
)

# The payer's page asks for news every few seconds; the gateway is asked at most this often per attempt.
REFRESH_EVERY = timedelta(seconds=3)


def _flash_form_errors(request, form) -> None:
    """Each error with the label of the field it is about: the page shows the forms' errors as messages."""
    for name, errors in form.errors.items():
        for message in errors:
            if name == NON_FIELD_ERRORS:
                messages.error(request, message)
            else:
                messages.error(request, _("%(field)s: %(error)s") % {"field": form[name].label, "error": message})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def state_message(payment: Payment | None, *, started: bool = True) -> tuple[str, str]:
    """(level, text) telling the payer where an attempt stands."""
    if payment is None:
        return "info", ""
    if not started and payment.status == PaymentStatus.SUCCEEDED:
        return "success", _("This amount is already paid: no second charge was made.")
    if not started and payment.is_open:
        prefix = _("A payment of this amount is already under way: no second charge was made.") + " "
    else:
        prefix = ""
    texts = {
        PaymentStatus.SUCCEEDED: ("success", _("Paid. Thank you.")),
        PaymentStatus.PENDING: (
            "info",
            _("We are confirming the payment with the payment service; this page updates by itself."),
        ),
        PaymentStatus.PROCESSING: (
            "info",
            _("The payment is being processed; this page will show it once confirmed."),
        ),
        PaymentStatus.REQUIRES_ACTION: ("info", _("Your bank asks you to confirm this payment.")),
        PaymentStatus.DECLARED: ("info", _("Transfer announced: a broker records it once it reaches the account.")),
        PaymentStatus.AWAITING_CONFIRMATION: ("info", _("Transfer recorded: a second staff member confirms it.")),
        PaymentStatus.SURPLUS: (
            "warning",
            _("This amount had already been paid: the money is kept for a broker to refund."),
        ),
        PaymentStatus.FAILED: ("error", payment.failure_message or _("The payment failed; nothing was charged.")),
        PaymentStatus.CANCELLED: ("info", _("The payment was cancelled; nothing was charged.")),
    }
    level, text = texts[payment.status]
    return level, prefix + text


def _flash_state(request, payment: Payment, *, started: bool) -> None:
    level, text = state_message(payment, started=started)
    getattr(messages, level)(request, text)


def _deal_for(request, pk: int):
    return get_object_or_404(deals_visible_to(request.user), pk=pk)


def _transfer_for(request, deal_pk: int, payment_pk: int) -> Payment:
    # A card payment's number in a transfer's address is not a transfer: not found, like any other number.
    deal = _deal_for(request, deal_pk)
    return get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.BANK_TRANSFER)


def _instalment_for(request, deal_pk: int, instalment_pk) -> Instalment:
    deal = _deal_for(request, deal_pk)
    return get_object_or_404(Instalment.objects.select_related("deal"), pk=instalment_pk, deal=deal)


@login_required
def deal_payments(request, pk: int):
    deal = _deal_for(request, pk)
    is_buyer = deal.buyer_id in organisation_ids_of(request.user)
    is_staff = staff_scope(request.user).covers(deal.centre_id)
    schedule = list(deal_schedule(deal))
    for instalment in schedule:
        instalment.under_way = next((p for p in instalment.payments.all() if p.is_open), None)
        instalment.transfer_reference = transfer_reference(instalment)
    context = {
        "deal": deal,
        "schedule": schedule,
        "paid_fen": amount_paid_fen(deal),
        "is_buyer": is_buyer,
        "is_staff": is_staff,
        "card_limit_fen": get_gateway().max_charge_fen,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "saved_cards": list(saved_cards_for(request.user, deal)),
        "collection_account": collection_account_for(deal),
        "awaiting": transfers_awaiting_confirmation(deal) if is_staff else [],
        "royalty_form": RoyaltyReportForm()
        if is_buyer and (deal.offer.royalty_rate or deal.offer.minimum_annual_royalty_fen)
        else None,
        "today": timezone.localdate(),
    }
    return render(request, "payments/deal_payments.html", context)


def _payment_json(request, instalment: Instalment, payment: Payment | None, *, started: bool = True) -> JsonResponse:
    level, text = state_message(payment, started=started)
    body = {
        "instalment": instalment.status,
        "paid": instalment.status == "paid",
        "payment": None,
        "started": started,  # False: this request started nothing (an attempt was under way, or it was paid)
        "level": level,
        "message": text,
    }
    if payment is not None:
        body["payment"] = {"id": payment.pk, "status": payment.status, "open": payment.is_open}
        is_buyer = instalment.deal.buyer_id in organisation_ids_of(request.user)
        if payment.status == PaymentStatus.REQUIRES_ACTION and is_buyer and payment.gateway_reference:
            # What Stripe.js needs to let the payer confirm with their bank; only the payer's own page gets it.
            try:
                body["client_secret"] = get_gateway().retrieve(payment.gateway_reference).client_secret
            except PaymentError:
                body["client_secret"] = ""
    return JsonResponse(body)


@login_required
@require_POST
def pay_by_card(request, pk: int):
    # The deal first: someone who may not see it learns nothing, not even whether the form was valid.
    deal = _deal_for(request, pk)
    form = CardPaymentForm(request.POST)
    if not form.is_valid():
        message = _("The card details did not reach us; please enter them again.")
        if _wants_json(request):
            return JsonResponse({"level": "error", "message": message, "paid": False, "payment": None}, status=400)
        messages.error(request, message)
        return redirect("payments:deal", pk=pk)
    data = form.cleaned_data
    instalment = _instalment_for(request, pk, data["instalment"])
    saved_card = None
    if data["saved_card"]:
        saved_card = get_object_or_404(saved_cards_for(request.user, deal), pk=data["saved_card"])
    try:
        payment, started = card_payment_submit(
            instalment=instalment,
            actor=request.user,
            token=data["token"],
            saved_card=saved_card,
            save_card=data["save_card"],
            auto_pay=data["auto_pay"],
        )
    except (ValidationError, PermissionDenied) as error:
        instalment.refresh_from_db()
        paid_by = instalment.payments.filter(status=PaymentStatus.SUCCEEDED).first()
        if paid_by is not None:
            # Another tab or click paid it a moment ago: say so, not "not due".
            _flash_state(request, paid_by, started=False)
            return (
                _payment_json(request, instalment, paid_by, started=False)
                if _wants_json(request)
                else redirect("payments:deal", pk=pk)
            )
        text = service_error_text(error)
        if _wants_json(request):
            return JsonResponse({"level": "error", "message": text, "paid": False, "payment": None}, status=422)
        messages.error(request, text)
        return redirect("payments:deal", pk=pk)
    instalment.refresh_from_db()
    if _wants_json(request):
        # The page's script shows the answer in the tab that asked; a flash message would land in any tab.
        return _payment_json(request, instalment, payment, started=started)
    _flash_state(request, payment, started=started)
    return redirect("payments:deal", pk=pk)


@never_cache
@login_required
@require_GET
def instalment_status(request, pk: int, instalment_pk: int):
    """Where an instalment's payment stands, for the payer's page: it asks after a lost answer or while the
    payment service is still at work. An open card attempt is checked with the gateway (at most every few
    seconds), so a page never shows "processing" for ever."""
    instalment = _instalment_for(request, pk, instalment_pk)
    payment = open_payment_of(instalment) or instalment.payments.order_by("-attempt").first()
    due_a_check = payment is not None and (
        payment.checked_at is None or timezone.now() - payment.checked_at >= REFRESH_EVERY
    )
    if due_a_check and payment.is_open and payment.method == PaymentMethod.CARD:
        with suppress(PaymentError):  # the gateway cannot be asked now: say what we know
            payment = payment_refresh(payment=payment)
        instalment.refresh_from_db()
    return _payment_json(request, instalment, payment)


@login_required
@require_POST
def cancel_card_attempt(request, pk: int, payment_pk: int):
    deal = _deal_for(request, pk)
    payment = get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.CARD)
    try:
        payment = card_attempt_cancel(payment=payment, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, service_error_text(error))
    except PaymentError as error:
        messages.error(request, error.message)
    else:
        _flash_state(request, payment, started=True)
    return redirect("payments:deal", pk=pk)


def _transfer_form_submit(request, pk: int, form_class, service, success: str):
    """A transfer form names an instalment of the deal and the transfer's details, which go to the service as
    they are."""
    _deal_for(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    details = dict(form.cleaned_data)
    instalment = _instalment_for(request, pk, details.pop("instalment"))
    with refusal_flashed(request):
        service(instalment=instalment, actor=request.user, **details)
        messages.success(request, success)
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def declare_transfer(request, pk: int):
    return _transfer_form_submit(
        request,
        pk,
        TransferDeclarationForm,
        bank_transfer_declare,
        _("Transfer announced: a broker records it once it reaches the account."),
    )


@login_required
@require_POST
def withdraw_transfer(request, pk: int, payment_pk: int):
    payment = _transfer_for(request, pk, payment_pk)
    with refusal_flashed(request):
        bank_transfer_withdraw(payment=payment, actor=request.user)
        messages.success(request, _("The announcement is withdrawn; you may pay another way."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def record_transfer(request, pk: int):
    return _transfer_form_submit(
        request,
        pk,
        BankTransferForm,
        bank_transfer_record,
        _("Transfer recorded. A second staff member must confirm it before it counts."),
    )


@login_required
@require_POST
def confirm_transfer(request, pk: int, payment_pk: int):
    payment = _transfer_for(request, pk, payment_pk)
    with refusal_flashed(request):
        bank_transfer_confirm(payment=payment, actor=request.user)
        messages.success(request, _("Transfer confirmed."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def reject_transfer(request, pk: int, payment_pk: int):
    payment = _transfer_for(request, pk, payment_pk)
    form = RejectTransferForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    with refusal_flashed(request):
        bank_transfer_reject(payment=payment, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The transfer is turned down; the amount is due again."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_GET
def transfer_evidence(request, pk: int, payment_pk: int):
    """The bank receipt behind a transfer, to the people who may see the deal; a 404 to anyone else."""
    transfer = get_object_or_404(
        bank_transfers_visible_to(request.user), payment_id=payment_pk, payment__instalment__deal_id=pk
    )
    if not transfer.evidence:
        raise Http404
    return protected_file_response(transfer.evidence, filename=transfer.evidence.name)


@login_required
@require_POST
def refund(request, pk: int):
    deal = _deal_for(request, pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    payment = get_object_or_404(Payment, pk=form.cleaned_data["payment"], instalment__deal=deal)
    try:
        issued = refund_issue(
            payment=payment,
            actor=request.user,
            amount_fen=form.cleaned_data["amount_fen"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        flash_service_error(request, error)
    except PaymentError as error:
        messages.error(request, error.message)
    else:
        if issued.status == "pending":
            messages.info(request, _("Refund sent; the payment service has not confirmed it yet."))
        else:
            messages.success(request, _("Refund issued."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def saved_card_auto_pay(request, pk: int, card_pk: int):
    deal = _deal_for(request, pk)
    card = get_object_or_404(saved_cards_for(request.user, deal), pk=card_pk)
    form = AutoPayForm(request.POST)
    form.is_valid()
    auto_pay = bool(form.cleaned_data.get("auto_pay"))
    saved_card_set_auto_pay(card=card, actor=request.user, auto_pay=auto_pay)
    if auto_pay:
        messages.success(request, _("Instalments will be paid with this card on their due date."))
    else:
        messages.success(request, _("Automatic payment is off."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def saved_card_forget(request, pk: int, card_pk: int):
    deal = _deal_for(request, pk)
    card: SavedCard = get_object_or_404(saved_cards_for(request.user, deal), pk=card_pk)
    saved_card_remove(card=card, actor=request.user)
    messages.success(request, _("The card is forgotten."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def report_royalty(request, pk: int):
    deal = _deal_for(request, pk)
    form = RoyaltyReportForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    try:
        royalty_report_submit(deal=deal, actor=request.user, **form.cleaned_data)
    except ValidationError as error:  # a PermissionDenied is the 403 page
        flash_service_error(request, error)
    else:
        messages.success(request, _("Sales reported; the royalty is now due."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_GET
def attention(request):
    """For brokers: money to refund, transfers to record or confirm, card attempts the gateway has not settled."""
    if not staff_scope(request.user).is_staff:
        raise Http404
    return render(request, "payments/attention.html", {"attention": payments_needing_attention(request.user)})


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
