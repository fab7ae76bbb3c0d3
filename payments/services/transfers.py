"""Bank transfers (对公转账): the buyer may choose to pay any instalment by transfer to the hosting centre's
collection account, quoting the instalment's reference, and upload the remittance slip; a broker records the
credit from the bank statement and a second staff member confirms it before it counts (four eyes). A broker may
also record a transfer that nobody announced."""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Deal
from marketplace.centres.models import OperationCentre
from marketplace.core.uploads import upload_check
from payments.models import BankTransfer, CollectionAccount, Instalment, Payment, PaymentMethod
from payments.models import PaymentStatus as S
from payments.services.common import (
    lock_deal_of,
    open_payment_of,
    require_buyer,
    require_instalment_staff,
    require_payable,
    require_payer_signatory,
    yuan,
)
from payments.services.receipts import payment_record_success
from payments.services.status import payment_attempt_create, payment_set_status

logger = logging.getLogger(__name__)
_REFERENCE_WEIGHTS = (3, 7, 1)


def transfer_reference(instalment: Instalment) -> str:
    """The code the buyer quotes in the transfer's remark (附言), so the broker can match the credit to the
    instalment: IPX, the instalment number and a check digit that catches a mistyped digit."""
    digits = f"{instalment.pk:07d}"
    total = sum(int(digit) * _REFERENCE_WEIGHTS[index % 3] for index, digit in enumerate(digits))
    return f"IPX{digits}{(10 - total % 10) % 10}"


def collection_account_for(deal: Deal) -> CollectionAccount | None:
    """The account of the deal's centre, or of the nearest centre above it that has one."""
    return collection_account_of_centre(deal.centre)


def collection_account_of_centre(centre: OperationCentre | None) -> CollectionAccount | None:
    """The account of a centre (for a deposit: the centre holding it), or of the nearest centre above it."""
    while centre is not None:
        account = CollectionAccount.objects.filter(centre=centre).first()
        if account is not None:
            return account
        centre = centre.parent
    return None


def _checked_evidence(evidence) -> str:
    """The stored name for an uploaded slip or receipt, once it is judged by its content to be a PDF or image."""
    if evidence is None:
        raise ValidationError(_("Attach the bank's receipt (PDF or image, at most 10 MB)."))
    return upload_check(evidence).stored_name


def _transfer_attempt(instalment: Instalment, actor, amount_fen: int, status: str, *, note: str) -> Payment:
    return payment_attempt_create(
        instalment=instalment,
        actor=actor,
        note=note,
        method=PaymentMethod.BANK_TRANSFER,
        amount_fen=amount_fen,
        status=status,
    )


def _transfer_save(transfer: BankTransfer, evidence_name: str | None, evidence) -> None:
    """Store the slip or receipt (if one came) under its checked name, then validate and save the transfer."""
    if evidence_name is not None:
        transfer.evidence.save(evidence_name, evidence, save=False)
    transfer.full_clean()
    transfer.save()


def _require_past(transferred_on: date) -> None:
    if transferred_on > timezone.localdate():
        raise ValidationError(_("The transfer date cannot be in the future."))


def _locked_instalment(instalment: Instalment) -> Instalment:
    locked = Instalment.objects.select_for_update(of=("self",)).select_related("deal", "payer").get(pk=instalment.pk)
    lock_deal_of(locked)
    return locked


def _refuse_other_attempt(instalment: Instalment, under_way: Payment | None) -> None:
    if under_way is not None:
        raise ValidationError(
            _("A payment of this amount is already under way (%(state)s); wait for its outcome.")
            % {"state": under_way.get_status_display()},
            code="attempt_under_way",
        )


@transaction.atomic
def bank_transfer_declare(*, instalment: Instalment, actor, payer: str, transferred_on: date, evidence) -> Payment:
    """A signatory of the buyer announces a transfer of the amount due, with the remittance slip. Nothing counts
    yet: a broker records the credit once it shows on the centre's account."""
    instalment = _locked_instalment(instalment)
    require_payer_signatory(instalment, actor)
    _refuse_other_attempt(instalment, open_payment_of(instalment))
    require_payable(instalment)
    _require_past(transferred_on)
    if not payer.strip():
        raise ValidationError(_("Say which account the transfer came from."))
    name = _checked_evidence(evidence)
    payment = _transfer_attempt(
        instalment, actor, instalment.amount_fen, S.DECLARED, note=f"reference {transfer_reference(instalment)}"
    )
    transfer = BankTransfer(payment=payment, payer=payer.strip(), transferred_on=transferred_on, declared_by=actor)
    _transfer_save(transfer, name, evidence)
    return payment


@transaction.atomic
def bank_transfer_withdraw(*, payment: Payment, actor) -> Payment:
    """The buyer takes back an announcement the broker has not recorded yet (to pay by card instead, say)."""
    payment = (
        Payment.objects.select_for_update(of=("self", "instalment"))
        .select_related("instalment__deal")
        .get(pk=payment.pk)
    )
    lock_deal_of(payment.instalment)
    require_buyer(payment.instalment, actor)
    if payment.status != S.DECLARED:
        raise ValidationError(_("Only a transfer that a broker has not recorded yet can be withdrawn."))
    return payment_set_status(payment=payment, to_status=S.CANCELLED, actor=actor, note="withdrawn by the buyer")


@transaction.atomic
def bank_transfer_record(
    *,
    instalment: Instalment,
    actor,
    payer: str,
    amount_fen: int,
    transferred_on: date,
    bank_reference: str,
    evidence=None,
    accept_surplus: bool = False,
) -> Payment:
    """A broker records a credit on the centre's account: the transfer the buyer announced, or one nobody
    announced (then with the bank's receipt). It counts only once a second staff member confirms. More than the
    amount due is accepted only when the broker says so: the excess is kept as surplus, to be refunded."""
    instalment = _locked_instalment(instalment)
    require_instalment_staff(instalment, actor)
    under_way = open_payment_of(instalment)
    announced = under_way if under_way is not None and under_way.status == S.DECLARED else None
    if announced is None:
        _refuse_other_attempt(instalment, under_way)
        require_payable(instalment)
    due = instalment.amount_fen
    if amount_fen < due or amount_fen <= 0 or (amount_fen > due and not accept_surplus):
        if amount_fen > due:
            message = _(
                "The transfer must match the amount due (%(due)s yuan). If more arrived, confirm that the excess "
                "is kept as surplus to be refunded."
            )
        else:
            message = _("The transfer must match the amount due (%(due)s yuan).")
        raise ValidationError(message % {"due": yuan(due)}, code="transfer_amount")
    _require_past(transferred_on)
    bank_reference = bank_reference.strip()
    if not bank_reference:
        raise ValidationError(_("Enter the bank's reference for the credit."))
    if BankTransfer.objects.filter(bank_reference=bank_reference).exists():
        raise ValidationError(_("This bank reference has already been recorded."))
    name = _checked_evidence(evidence) if evidence is not None or announced is None else None
    if announced is not None:
        payment = Payment.objects.select_for_update().get(pk=announced.pk)
        transfer = payment.bank_transfer
        payment = payment_set_status(
            payment=payment, to_status=S.AWAITING_CONFIRMATION, actor=actor, note=bank_reference, amount_fen=amount_fen
        )
    else:
        payment = _transfer_attempt(instalment, actor, amount_fen, S.AWAITING_CONFIRMATION, note=bank_reference)
        transfer = BankTransfer(payment=payment)
    transfer.payer = payer.strip()
    transfer.transferred_on = transferred_on
    transfer.bank_reference = bank_reference
    transfer.recorded_by = actor
    _transfer_save(transfer, name, evidence)
    return payment


@transaction.atomic
def bank_transfer_confirm(*, payment: Payment, actor) -> Payment:
    payment = (
        Payment.objects.select_for_update(of=("self", "instalment"))
        .select_related("instalment__deal")
        .get(pk=payment.pk)
    )
    lock_deal_of(payment.instalment)
    require_instalment_staff(payment.instalment, actor)
    # The status first: only a recorded bank transfer awaits confirmation, so a card payment stops here.
    if payment.status != S.AWAITING_CONFIRMATION:
        raise ValidationError(_("This transfer is not awaiting confirmation."))
    transfer = payment.bank_transfer
    if transfer.recorded_by_id == actor.pk:
        raise PermissionDenied(_("A second staff member must confirm a transfer; you recorded this one."))
    transfer.confirmed_by = actor
    transfer.confirmed_at = timezone.now()
    transfer.save(update_fields=["confirmed_by", "confirmed_at"])
    return payment_record_success(payment=payment, actor=actor, note=_("confirmed"))


@transaction.atomic
def bank_transfer_reject(*, payment: Payment, actor, reason: str) -> Payment:
    """Staff turn down an announced or recorded transfer that did not arrive as stated."""
    payment = (
        Payment.objects.select_for_update(of=("self", "instalment"))
        .select_related("instalment__deal")
        .get(pk=payment.pk)
    )
    lock_deal_of(payment.instalment)
    require_instalment_staff(payment.instalment, actor)
    if payment.method != PaymentMethod.BANK_TRANSFER or payment.status not in (S.DECLARED, S.AWAITING_CONFIRMATION):
        raise ValidationError(_("Only a transfer that is announced or awaiting confirmation can be turned down."))
    if not reason.strip():
        raise ValidationError(_("Say why the transfer is turned down."))
    return payment_set_status(
        payment=payment, to_status=S.FAILED, actor=actor, note=reason.strip(), failure_message=reason.strip()[:300]
    )
