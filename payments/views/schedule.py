"""A deal's payment page, the royalties its licensee reports, refunds, and the brokers' list of what needs a person."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.centres.selectors import staff_scope
from marketplace.core.forms import flash_service_error, service_error_text
from marketplace.organisations.selectors import BindingAct, SignatoryRequired, organisation_ids_of, signing_refusal
from payments.forms import RefundForm, RoyaltyReportForm
from payments.gateways import get_gateway
from payments.gateways.base import PaymentError
from payments.models import Payment
from payments.selectors import (
    amount_paid_fen,
    deal_schedule,
    payments_needing_attention,
    saved_cards_for,
    transfers_awaiting_confirmation,
)
from payments.services import collection_account_for, refund_issue, royalty_report_submit, transfer_reference
from payments.views.common import deal_for, flash_form_errors


@login_required
def deal_payments(request, pk: int):
    deal = deal_for(request, pk)
    is_buyer = deal.buyer_id in organisation_ids_of(request.user)
    # A member of the buyer who is not its signatory sees what is due and who can pay it, not the pay forms.
    pay_refusal = signing_refusal(request.user, deal.buyer, BindingAct.PAY) if is_buyer else ""
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
        "can_pay": is_buyer and not pay_refusal,
        "pay_refusal": pay_refusal,
        "is_staff": is_staff,
        "card_limit_fen": get_gateway().max_charge_fen,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "saved_cards": list(saved_cards_for(request.user, deal)),
        "collection_account": collection_account_for(deal),
        "awaiting": transfers_awaiting_confirmation(deal) if is_staff else [],
        "royalty_form": RoyaltyReportForm()
        if is_buyer and not pay_refusal and (deal.offer.royalty_rate or deal.offer.minimum_annual_royalty_fen)
        else None,
        "today": timezone.localdate(),
    }
    return render(request, "payments/deal_payments.html", context)


@login_required
@require_POST
def refund(request, pk: int):
    deal = deal_for(request, pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
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
def report_royalty(request, pk: int):
    deal = deal_for(request, pk)
    form = RoyaltyReportForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    try:
        royalty_report_submit(deal=deal, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        flash_service_error(request, error)
    except SignatoryRequired as error:
        messages.error(request, service_error_text(error))
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
