"""What the payment views share: finding the deal and instalment a person may see, and telling the payer where a
payment stands (as a flash message, or as JSON for the pay button's script)."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from deals.selectors import deals_visible_to
from marketplace.organisations.selectors import organisation_ids_of
from payments.gateways import get_gateway
from payments.gateways.base import PaymentError
from payments.models import Instalment, Payment, PaymentStatus


def flash_form_errors(request, form) -> None:
    """Each error with the label of the field it is about: the page shows the forms' errors as messages."""
    for name, errors in form.errors.items():
        for message in errors:
            if name == NON_FIELD_ERRORS:
                messages.error(request, message)
            else:
                messages.error(request, _("%(field)s: %(error)s") % {"field": form[name].label, "error": message})


def wants_json(request) -> bool:
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


def flash_state(request, payment: Payment, *, started: bool) -> None:
    level, text = state_message(payment, started=started)
    getattr(messages, level)(request, text)


def deal_for(request, pk: int):
    return get_object_or_404(deals_visible_to(request.user), pk=pk)


def instalment_for(request, deal_pk: int, instalment_pk) -> Instalment:
    deal = deal_for(request, deal_pk)
    return get_object_or_404(Instalment.objects.select_related("deal"), pk=instalment_pk, deal=deal)


def payment_json(request, instalment: Instalment, payment: Payment | None, *, started: bool = True) -> JsonResponse:
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
        is_buyer = instalment.payer_organisation_id in organisation_ids_of(request.user)
        if payment.status == PaymentStatus.REQUIRES_ACTION and is_buyer and payment.gateway_reference:
            # What Stripe.js needs to let the payer confirm with their bank; only the payer's own page gets it.
            try:
                body["client_secret"] = get_gateway().retrieve(payment.gateway_reference).client_secret
            except PaymentError:
                body["client_secret"] = ""
    return JsonResponse(body)
