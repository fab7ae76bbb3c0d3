"""The payment state machine: which moves are allowed, and the one service that makes them."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from payments.models import Payment, PaymentEvent
from payments.models import PaymentStatus as S
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


def payment_created(*, payment: Payment, actor=None, note: str = "") -> Payment:
    """Save a new attempt and write its first audit row."""
    payment.full_clean(exclude=["instalment", "created_by", "saved_card"], validate_constraints=False)
    payment.save()
    PaymentEvent.objects.create(payment=payment, from_status="", to_status=payment.status, actor=actor, note=note[:300])
    return payment
