"""Bank transfers (对公转账): the buyer announces one, a broker records it, a second staff member confirms or
turns it down; the bank receipt behind it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from marketplace.core.downloads import protected_file_response
from marketplace.core.forms import refusal_flashed
from payments.forms import BankTransferForm, RejectTransferForm, TransferDeclarationForm
from payments.models import Payment, PaymentMethod
from payments.selectors import bank_transfers_visible_to
from payments.services import (
    bank_transfer_confirm,
    bank_transfer_declare,
    bank_transfer_record,
    bank_transfer_reject,
    bank_transfer_withdraw,
)
from payments.views.common import deal_for, flash_form_errors, instalment_for


def _transfer_for(request, deal_pk: int, payment_pk: int) -> Payment:
    # A card payment's number in a transfer's address is not a transfer: not found, like any other number.
    deal = deal_for(request, deal_pk)
    return get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.BANK_TRANSFER)


def _deal_page(pk: int) -> str:
    return reverse("payments:deal", args=[pk])


def transfer_form_answer(request, form_class, service, success: str, *, instalment_of, back: str):
    """A transfer form names an instalment (found by `instalment_of`, among those the person may see) and the
    transfer's details, which go to the service as they are; the answer is a message on the page `back`."""
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(back)
    details = dict(form.cleaned_data)
    instalment = instalment_of(details.pop("instalment"))
    with refusal_flashed(request):
        service(instalment=instalment, actor=request.user, **details)
        messages.success(request, success)
    return redirect(back)


def _transfer_form_submit(request, pk: int, form_class, service, success: str):
    deal_for(request, pk)
    return transfer_form_answer(
        request,
        form_class,
        service,
        success,
        instalment_of=lambda number: instalment_for(request, pk, number),
        back=_deal_page(pk),
    )


# Translated when shown (the deal's and the deposit's pages say the same).
DECLARED = gettext_noop("Transfer announced: a broker records it once it reaches the account.")
RECORDED = gettext_noop("Transfer recorded. A second staff member must confirm it before it counts.")


@login_required
@require_POST
def declare_transfer(request, pk: int):
    return _transfer_form_submit(request, pk, TransferDeclarationForm, bank_transfer_declare, _(DECLARED))


@login_required
@require_POST
def withdraw_transfer(request, pk: int, payment_pk: int):
    return transfer_withdraw_answer(request, _transfer_for(request, pk, payment_pk), back=_deal_page(pk))


def transfer_withdraw_answer(request, payment: Payment, *, back: str):
    with refusal_flashed(request):
        bank_transfer_withdraw(payment=payment, actor=request.user)
        messages.success(request, _("The announcement is withdrawn; you may pay another way."))
    return redirect(back)


@login_required
@require_POST
def record_transfer(request, pk: int):
    return _transfer_form_submit(request, pk, BankTransferForm, bank_transfer_record, _(RECORDED))


@login_required
@require_POST
def confirm_transfer(request, pk: int, payment_pk: int):
    return transfer_confirm_answer(request, _transfer_for(request, pk, payment_pk), back=_deal_page(pk))


def transfer_confirm_answer(request, payment: Payment, *, back: str):
    with refusal_flashed(request):
        bank_transfer_confirm(payment=payment, actor=request.user)
        messages.success(request, _("Transfer confirmed."))
    return redirect(back)


@login_required
@require_POST
def reject_transfer(request, pk: int, payment_pk: int):
    return transfer_reject_answer(request, _transfer_for(request, pk, payment_pk), back=_deal_page(pk))


def transfer_reject_answer(request, payment: Payment, *, back: str):
    form = RejectTransferForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(back)
    with refusal_flashed(request):
        bank_transfer_reject(payment=payment, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The transfer is turned down; the amount is due again."))
    return redirect(back)


@login_required
@require_GET
def transfer_evidence(request, pk: int, payment_pk: int):
    """The bank receipt behind a transfer, to the people who may see the deal; a 404 to anyone else."""
    transfer = get_object_or_404(
        bank_transfers_visible_to(request.user), payment_id=payment_pk, payment__instalment__deal_id=pk
    )
    return evidence_answer(transfer)


def evidence_answer(transfer):
    if not transfer.evidence:
        raise Http404
    return protected_file_response(transfer.evidence, filename=transfer.evidence.name)
