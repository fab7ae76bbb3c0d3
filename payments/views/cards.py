"""Paying by card: the pay button's answers, the payer's page asking where a payment stands, and saved cards."""

from contextlib import suppress
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from marketplace.core.forms import refusal_flashed, service_error_text
from payments.forms import AutoPayForm, CardPaymentForm
from payments.gateways.base import PaymentError
from payments.models import Payment, PaymentMethod, PaymentStatus, SavedCard
from payments.selectors import saved_cards_for
from payments.services import (
    card_attempt_cancel,
    card_payment_submit,
    open_payment_of,
    payment_refresh,
    saved_card_remove,
    saved_card_set_auto_pay,
)
from payments.views.common import deal_for, flash_state, instalment_for, payment_json, wants_json

# The payer's page asks for news every few seconds; the gateway is asked at most this often per attempt.
REFRESH_EVERY = timedelta(seconds=3)


@login_required
@require_POST
def pay_by_card(request, pk: int):
    # The deal first: someone who may not see it learns nothing, not even whether the form was valid.
    deal = deal_for(request, pk)
    return card_payment_answer(
        request,
        instalment_of=lambda number: instalment_for(request, pk, number),
        saved_cards=saved_cards_for(request.user, deal),
        back=reverse("payments:deal", args=[pk]),
    )


def card_payment_answer(request, *, instalment_of, saved_cards, back: str):
    """The pay button's answer, for a deal's instalment or a deposit: `instalment_of(number)` finds the instalment
    the form names among those the person may see (or raises 404), `saved_cards` are the cards they may use, and
    `back` is the page a form without the script returns to."""
    form = CardPaymentForm(request.POST)
    if not form.is_valid():
        message = _("The card details did not reach us; please enter them again.")
        if wants_json(request):
            return JsonResponse({"level": "error", "message": message, "paid": False, "payment": None}, status=400)
        messages.error(request, message)
        return redirect(back)
    data = form.cleaned_data
    instalment = instalment_of(data["instalment"])
    saved_card = None
    if data["saved_card"]:
        saved_card = get_object_or_404(saved_cards, pk=data["saved_card"])
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
            flash_state(request, paid_by, started=False)
            return payment_json(request, instalment, paid_by, started=False) if wants_json(request) else redirect(back)
        text = service_error_text(error)
        if wants_json(request):
            return JsonResponse({"level": "error", "message": text, "paid": False, "payment": None}, status=422)
        messages.error(request, text)
        return redirect(back)
    instalment.refresh_from_db()
    if wants_json(request):
        # The page's script shows the answer in the tab that asked; a flash message would land in any tab.
        return payment_json(request, instalment, payment, started=started)
    flash_state(request, payment, started=started)
    return redirect(back)


@never_cache
@login_required
@require_GET
def instalment_status(request, pk: int, instalment_pk: int):
    return instalment_status_answer(request, instalment_for(request, pk, instalment_pk))


def instalment_status_answer(request, instalment):
    """Where an instalment's payment stands, for the payer's page: it asks after a lost answer or while the
    payment service is still at work. An open card attempt is checked with the gateway (at most every few
    seconds), so a page never shows "processing" for ever."""
    payment = open_payment_of(instalment) or instalment.payments.order_by("-attempt").first()
    due_a_check = payment is not None and (
        payment.checked_at is None or timezone.now() - payment.checked_at >= REFRESH_EVERY
    )
    if due_a_check and payment.is_open and payment.method == PaymentMethod.CARD:
        with suppress(PaymentError):  # the gateway cannot be asked now: say what we know
            payment = payment_refresh(payment=payment)
        instalment.refresh_from_db()
    return payment_json(request, instalment, payment)


@login_required
@require_POST
def cancel_card_attempt(request, pk: int, payment_pk: int):
    deal = deal_for(request, pk)
    payment = get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.CARD)
    return card_attempt_cancel_answer(request, payment, back=reverse("payments:deal", args=[pk]))


def card_attempt_cancel_answer(request, payment: Payment, *, back: str):
    try:
        payment = card_attempt_cancel(payment=payment, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, service_error_text(error))
    except PaymentError as error:
        messages.error(request, error.message)
    else:
        flash_state(request, payment, started=True)
    return redirect(back)


@login_required
@require_POST
def saved_card_auto_pay(request, pk: int, card_pk: int):
    deal = deal_for(request, pk)
    card = get_object_or_404(saved_cards_for(request.user, deal), pk=card_pk)
    form = AutoPayForm(request.POST)
    form.is_valid()
    auto_pay = bool(form.cleaned_data.get("auto_pay"))
    with refusal_flashed(request):
        saved_card_set_auto_pay(card=card, actor=request.user, auto_pay=auto_pay)
        if auto_pay:
            messages.success(request, _("Instalments will be paid with this card on their due date."))
        else:
            messages.success(request, _("Automatic payment is off."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def saved_card_forget(request, pk: int, card_pk: int):
    deal = deal_for(request, pk)
    card: SavedCard = get_object_or_404(saved_cards_for(request.user, deal), pk=card_pk)
    saved_card_remove(card=card, actor=request.user)
    messages.success(request, _("The card is forgotten."))
    return redirect("payments:deal", pk=pk)
