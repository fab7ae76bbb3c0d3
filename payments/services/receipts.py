"""Recording money that arrived: applied to its instalment once, or kept as surplus when the instalment was
already paid (a duplicate however it arose), and the deal settled when everything fixed is paid."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Deal, DealStatus
from deals.services.deals import deal_mark_settled
from listings.models import Mode
from payments.models import RECEIVED_PAYMENT_STATES, Instalment, InstalmentKind, InstalmentStatus, Payment
from payments.models import PaymentStatus as S
from payments.services.common import lock_deal_of
from payments.services.status import instalment_set_status, payment_set_status
from payments.signals import deposit_paid, payment_received

logger = logging.getLogger(__name__)


def settle_if_all_fixed_paid(deal: Deal) -> None:
    if deal.mode == Mode.EQUITY:
        return  # an equity deal settles on its recorded share registration, never on payments
    # A deposit credited to the deal is not one of its own sums: what it paid shows on the instalments it reduced.
    fixed = deal.instalments.exclude(kind__in=(InstalmentKind.ROYALTY, InstalmentKind.DEPOSIT)).exclude(
        status=InstalmentStatus.CANCELLED
    )
    if (
        deal.status in (DealStatus.CONTRACT_SIGNED, DealStatus.REGISTERED)
        and not fixed.exclude(status=InstalmentStatus.PAID).exists()
    ):
        deal_mark_settled(deal=deal, actor=None, note=_("Everything due has been paid."))


@transaction.atomic
def payment_record_success(*, payment: Payment, actor=None, note: str = "") -> Payment:
    """Money for this payment arrived: pay its instalment, exactly once. The row locks and the status checks
    make a second call (a replayed webhook, the synchronous answer racing the webhook) a no-op. Money for an
    instalment that is already paid (or cancelled) is kept as surplus, for a broker to refund; a payment larger
    than the instalment (a bank transfer) pays it and keeps the excess as surplus. Indicators book only what
    is applied. A deposit's money is only held: `deposit_paid` is announced instead, and nothing is booked until
    the deposit is credited to a deal's price (payments.services.deposits)."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status in RECEIVED_PAYMENT_STATES:
        return payment
    instalment = Instalment.objects.select_for_update(of=("self",)).select_related("deal").get(pk=payment.instalment_id)
    lock_deal_of(instalment)
    now = timezone.now()
    if instalment.status != InstalmentStatus.DUE:
        logger.warning(
            "Payment %s arrived for instalment %s, which is %s", payment.pk, instalment.pk, instalment.status
        )
        return payment_set_status(
            payment=payment,
            to_status=S.SURPLUS,
            actor=actor,
            note=note or "received for an amount already paid: to be refunded",
            succeeded_at=now,
            surplus_fen=payment.amount_fen,
            failure_message="",
        )
    payment = payment_set_status(
        payment=payment,
        to_status=S.SUCCEEDED,
        actor=actor,
        note=note,
        succeeded_at=now,
        surplus_fen=max(0, payment.amount_fen - instalment.amount_fen),
        failure_message="",
    )
    instalment_set_status(instalment=instalment, to_status=InstalmentStatus.PAID, paid_at=now)
    if instalment.is_deposit:
        deposit_paid.send(sender=Instalment, instalment=instalment, payment=payment)
        return payment
    deal = instalment.deal
    payment_received.send(
        sender=Payment,
        payment=payment,
        deal=deal,
        amount_fen=payment.applied_fen,
        kind=instalment.kind,
        received_on=timezone.localdate(now),
    )
    settle_if_all_fixed_paid(deal)
    return payment


@transaction.atomic
def payment_record_failure(*, payment: Payment, message: str, to_status: str = S.FAILED, actor=None) -> Payment:
    """An open attempt ended without money. A failure never undoes a success: for a payment that is no longer
    open this changes nothing."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not payment.is_open:
        return payment
    return payment_set_status(
        payment=payment, to_status=to_status, actor=actor, note=message, failure_message=message[:300]
    )
