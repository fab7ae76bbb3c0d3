"""Refunds: all or part of money received, never more than is left of it. Surplus (money received for an
amount already paid) is returned first, and is never booked in the indicators; returning money that was
applied reverses its booking. A card refund is recorded before the gateway is asked, with its own idempotency
key, so a crash in between is finished by reconciliation instead of refunding twice or not at all."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import DealStatus
from deals.services.deals import deal_cancel
from marketplace.core.faults import crash_point
from payments.gateways import get_gateway
from payments.gateways.base import GatewayError, RefundState
from payments.models import (
    RECEIVED_PAYMENT_STATES,
    InstalmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from payments.services.cards import new_idempotency_key
from payments.services.common import lock_deal_of, require_instalment_staff, yuan
from payments.services.status import refund_set_status
from payments.signals import payment_refunded

logger = logging.getLogger(__name__)


def refundable_fen(payment: Payment) -> int:
    """What is left to refund: received, less what was refunded or is being refunded."""
    pending = payment.refunds.filter(status=RefundStatus.PENDING).aggregate(total=Sum("amount_fen"))["total"] or 0
    return payment.amount_fen - payment.refunded_fen - pending


def refund_issue(*, payment: Payment, actor, amount_fen: int, reason: str) -> Refund:
    """Refund all or part of a payment received. A refund that returns everything applied on a completed deal
    cancels the deal, which reverses its indicator bookings. Only staff of the hosting centre refund."""
    return _refund_issue(payment=payment, actor=actor, amount_fen=amount_fen, reason=reason, by_platform=False)


def refund_rest(*, payment: Payment, actor, reason: str) -> Refund | None:
    """Refund whatever is left of a payment received (None when nothing is). The caller has checked who may:
    `actor` may be None, the platform itself (an auction deposit returned to a bidder who did not win)."""
    return _refund_issue(payment=payment, actor=actor, amount_fen=None, reason=reason, by_platform=True)


def _refund_issue(*, payment: Payment, actor, amount_fen: int | None, reason: str, by_platform: bool) -> Refund | None:
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self", "instalment"))
            .select_related("instalment__deal")
            .get(pk=payment.pk)
        )
        lock_deal_of(payment.instalment)
        if not by_platform:
            require_instalment_staff(payment.instalment, actor)
        if payment.status not in RECEIVED_PAYMENT_STATES:
            raise ValidationError(_("Only a successful payment can be refunded."))
        left = refundable_fen(payment)
        if amount_fen is None:
            # Counted under the payment's lock: a second caller finds nothing left, never refunds twice.
            if left <= 0:
                return None
            amount_fen = left
        if amount_fen <= 0 or amount_fen > left:
            raise ValidationError(
                _("The refund must be between 0.01 and %(max)s yuan (what is left of this payment).")
                % {"max": yuan(max(left, 0))},
                code="refund_too_large",
            )
        if not reason.strip():
            raise ValidationError(_("Say why the money is refunded."))
        by_card = payment.method == PaymentMethod.CARD
        refund = Refund(
            payment=payment,
            amount_fen=amount_fen,
            reason=reason.strip(),
            status=RefundStatus.PENDING,
            idempotency_key=new_idempotency_key("refund") if by_card else None,
            created_by=actor,
        )
        refund.full_clean()
        refund.save()
        if not by_card:
            # The broker returned a bank transfer by bank: nothing for a gateway to do.
            return refund_record_success(refund=refund, actor=actor)
    crash_point("payments.refund.before_gateway")
    try:
        state = get_gateway().refund(
            payment.gateway_reference,
            amount_fen,
            idempotency_key=refund.idempotency_key,
            metadata={"refund_key": refund.idempotency_key, "refund_id": str(refund.pk), "payment_id": str(payment.pk)},
        )
    except GatewayError as error:
        if error.outcome_unknown:
            logger.warning("No answer from the gateway for refund %s: left pending for reconciliation", refund.pk)
            return refund
        refund_record_failure(refund=refund, message=error.message)
        raise
    return refund_apply_gateway_state(refund=refund, state=state, actor=actor)


def refund_apply_gateway_state(*, refund: Refund, state: RefundState, actor=None) -> Refund:
    if state.status == "succeeded" or state.status == "pending":
        # Stripe reports a card refund "pending" until the bank has it; the money has left our balance.
        return refund_record_success(refund=refund, gateway_reference=state.reference, actor=actor)
    return refund_record_failure(refund=refund, message=state.status, gateway_reference=state.reference)


@transaction.atomic
def refund_record_success(*, refund: Refund, gateway_reference: str = "", actor=None) -> Refund:
    """Count a refund once: the payment's refunded total, the indicator reversal of the applied part, and the
    deal's cancellation when everything applied went back."""
    payment = (
        Payment.objects.select_for_update(of=("self", "instalment"))
        .select_related("instalment__deal")
        .get(pk=refund.payment_id)
    )
    lock_deal_of(payment.instalment)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status == RefundStatus.SUCCEEDED:
        return refund
    surplus_left = payment.surplus_outstanding_fen
    applied_part = refund.amount_fen - min(refund.amount_fen, surplus_left)
    refund_set_status(
        refund=refund,
        to_status=RefundStatus.SUCCEEDED,
        gateway_reference=gateway_reference or refund.gateway_reference,
    )
    payment.refunded_fen += refund.amount_fen
    payment.save(update_fields=["refunded_fen"])
    instalment = payment.instalment
    deal = instalment.deal
    # A deposit's money was booked only if it was credited to a deal's price; a held one never was.
    booked = deal is not None and (not instalment.is_deposit or instalment.status == InstalmentStatus.CREDITED)
    if applied_part > 0 and booked:
        payment_refunded.send(
            sender=Refund,
            refund=refund,
            deal=deal,
            amount_fen=applied_part,
            kind=payment.instalment.kind,
            refunded_on=timezone.localdate(),
        )
    if payment.status == PaymentStatus.SUCCEEDED and deal is not None and deal.status == DealStatus.COMPLETED:
        applied = Payment.objects.filter(instalment__deal=deal, status=PaymentStatus.SUCCEEDED)
        if all(p.refunded_fen >= p.amount_fen for p in applied):
            deal_cancel(
                deal=deal,
                actor=actor or refund.created_by,
                reason=_("Fully refunded: %(reason)s") % {"reason": refund.reason},
            )
    return refund


@transaction.atomic
def refund_record_failure(*, refund: Refund, message: str, gateway_reference: str = "") -> Refund:
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status == RefundStatus.PENDING:
        refund_set_status(
            refund=refund,
            to_status=RefundStatus.FAILED,
            failure_message=message[:300],
            gateway_reference=gateway_reference or refund.gateway_reference,
        )
    return refund
