"""The state machines of payments, of the instalments they pay and of refunds: which moves are allowed, and the
one service for each that makes them."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.core.states import status_move
from payments.models import Instalment, InstalmentStatus, Payment, PaymentEvent, Refund, RefundStatus
from payments.models import PaymentStatus as S
from payments.services.common import next_attempt_number
from payments.signals import payment_status_changed

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.REQUIRES_ACTION, S.PROCESSING, S.SUCCEEDED, S.SURPLUS, S.FAILED, S.CANCELLED}),
    S.REQUIRES_ACTION: frozenset({S.PROCESSING, S.SUCCEEDED, S.SURPLUS, S.FAILED, S.CANCELLED}),
    S.PROCESSING: frozenset({S.REQUIRES_ACTION, S.SUCCEEDED, S.SURPLUS, S.FAILED, S.CANCELLED}),
    S.DECLARED: frozenset({S.AWAITING_CONFIRMATION, S.CANCELLED, S.FAILED}),
    S.AWAITING_CONFIRMATION: frozenset({S.SUCCEEDED, S.SURPLUS, S.FAILED}),
    S.SUCCEEDED: frozenset(),
    S.SURPLUS: frozenset(),
    # Money the gateway reports after we had given up on an attempt is recorded all the same: never lost.
    S.FAILED: frozenset({S.SUCCEEDED, S.SURPLUS}),
    S.CANCELLED: frozenset({S.SUCCEEDED, S.SURPLUS}),
}


def payment_set_status(*, payment: Payment, to_status: str, actor=None, note: str = "", **changes) -> Payment:
    """Move a payment to `to_status` (with any field changes that go with it), write the audit row and announce
    it. Refuses any move the table above does not allow. Call it holding the payment's row lock
    (select_for_update) inside a transaction."""
    from_status = payment.status
    if to_status not in TRANSITIONS[from_status]:
        raise ValidationError(
            f"A payment cannot go from {from_status} to {to_status}.", code="invalid_payment_transition"
        )
    payment.status = to_status
    for field, value in changes.items():
        setattr(payment, field, value)
    payment.checked_at = timezone.now()
    payment.full_clean(exclude=["instalment", "created_by", "saved_card"], validate_constraints=False)
    payment.save()
    PaymentEvent.objects.create(
        payment=payment, from_status=from_status, to_status=to_status, actor=actor, note=note[:300]
    )
    payment_status_changed.send(
        sender=Payment, payment=payment, from_status=from_status, to_status=to_status, actor=actor
    )
    return payment


def payment_attempt_create(*, instalment: Instalment, actor=None, created_by=None, note: str = "", **fields) -> Payment:
    """A new attempt at paying an instalment, numbered after the earlier ones (`fields`: its method, amount,
    status...), saved with its first audit row. Hold the instalment's row lock."""
    payment = Payment(
        instalment=instalment, attempt=next_attempt_number(instalment), created_by=created_by or actor, **fields
    )
    return payment_created(payment=payment, actor=actor, note=note)


def payment_created(*, payment: Payment, actor=None, note: str = "") -> Payment:
    """Save a new attempt and write its first audit row."""
    payment.full_clean(exclude=["instalment", "created_by", "saved_card"], validate_constraints=False)
    payment.save()
    PaymentEvent.objects.create(payment=payment, from_status="", to_status=payment.status, actor=actor, note=note[:300])
    return payment


# An instalment is paid once; one that is paid or cancelled stays so (money for it is kept as surplus).
# A paid auction deposit ends refunded, credited to the winner's price or forfeited (payments.services.deposits
# makes these moves, and only for deposits).
INSTALMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    InstalmentStatus.DUE: frozenset({InstalmentStatus.PAID, InstalmentStatus.CANCELLED}),
    InstalmentStatus.PAID: frozenset(
        {InstalmentStatus.REFUNDED, InstalmentStatus.CREDITED, InstalmentStatus.FORFEITED}
    ),
}
# A refund the gateway reports done after it was recorded as failed is recorded all the same, like a payment.
REFUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RefundStatus.PENDING: frozenset({RefundStatus.SUCCEEDED, RefundStatus.FAILED}),
    RefundStatus.FAILED: frozenset({RefundStatus.SUCCEEDED}),
}


def instalment_set_status(*, instalment: Instalment, to_status: str, **changes) -> Instalment:
    """Move an instalment (with the field changes that go with it); refuses any move the table above does not
    allow. The money that moves it is announced by its payment (payment_received). Hold the row's lock."""
    status_move(
        instalment,
        INSTALMENT_TRANSITIONS,
        to_status,
        not_validated=("deal", "royalty_report", "payer", "centre"),
        **changes,
    )
    return instalment


def refund_set_status(*, refund: Refund, to_status: str, **changes) -> Refund:
    """Move a refund (with the field changes that go with it); refuses any move the table above does not allow.
    The money it returns is announced by the caller (payment_refunded). Hold the row's lock."""
    status_move(refund, REFUND_TRANSITIONS, to_status, not_validated=("payment", "created_by"), **changes)
    return refund
