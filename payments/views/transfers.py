"""Bank transfers (对公转账): the buyer announces one, a broker records it, a second staff member confirms or
turns it down; the bank receipt behind it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.core.downloads import protected_file_response
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
from payments.views.common import deal_for, flash_errors, flash_form_errors, instalment_for


@login_required
@require_POST
def declare_transfer(request, pk: int):
    deal_for(request, pk)
    form = TransferDeclarationForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    data = form.cleaned_data
    instalment = instalment_for(request, pk, data["instalment"])
    try:
        bank_transfer_declare(
            instalment=instalment,
            actor=request.user,
            payer=data["payer"],
            transferred_on=data["transferred_on"],
            evidence=data["evidence"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Transfer announced: a broker records it once it reaches the account."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def withdraw_transfer(request, pk: int, payment_pk: int):
    deal = deal_for(request, pk)
    payment = get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.BANK_TRANSFER)
    try:
        bank_transfer_withdraw(payment=payment, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The announcement is withdrawn; you may pay another way."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def record_transfer(request, pk: int):
    deal_for(request, pk)
    form = BankTransferForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    data = form.cleaned_data
    instalment = instalment_for(request, pk, data["instalment"])
    try:
        bank_transfer_record(
            instalment=instalment,
            actor=request.user,
            payer=data["payer"],
            amount_fen=data["amount_fen"],
            transferred_on=data["transferred_on"],
            bank_reference=data["bank_reference"],
            evidence=data["evidence"],
            accept_surplus=data["accept_surplus"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Transfer recorded. A second staff member must confirm it before it counts."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def confirm_transfer(request, pk: int, payment_pk: int):
    deal = deal_for(request, pk)
    # A card payment's number in this address is not a transfer to confirm: not found, like any other number.
    payment = get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.BANK_TRANSFER)
    try:
        bank_transfer_confirm(payment=payment, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Transfer confirmed."))
    return redirect("payments:deal", pk=pk)


@login_required
@require_POST
def reject_transfer(request, pk: int, payment_pk: int):
    deal = deal_for(request, pk)
    payment = get_object_or_404(Payment, pk=payment_pk, instalment__deal=deal, method=PaymentMethod.BANK_TRANSFER)
    form = RejectTransferForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("payments:deal", pk=pk)
    try:
        bank_transfer_reject(payment=payment, actor=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
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
