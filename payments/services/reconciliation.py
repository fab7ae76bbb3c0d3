"""Reconciliation: settle our open attempts and pending refunds to what the gateway says, then compare our card
payments with the gateway's records. Run every few minutes by the task runner (payments.tasks) and by hand
(`manage.py payments_reconcile`). It never tells a buyer to pay again for money that arrived: an attempt is
given up only once the gateway has no trace of it after longer than any request can take."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from payments.gateways import get_gateway
from payments.gateways.base import PaymentError
from payments.models import Payment, PaymentMethod, PaymentStatus, Refund, RefundStatus
from payments.selectors import deposit_ledger
from payments.services.cards import payment_apply_gateway_state, payment_refresh
from payments.services.refunds import refund_apply_gateway_state, refund_record_failure

logger = logging.getLogger(__name__)

OPEN_CARD_STATES = (PaymentStatus.PENDING, PaymentStatus.PROCESSING, PaymentStatus.REQUIRES_ACTION)
# Card payments are compared with the gateway for this long after they were made.
COMPARE_DAYS = 30


@dataclass(frozen=True)
class Mismatch:
    payment_id: int | None
    reference: str
    problem: str


@dataclass
class Reconciliation:
    settled: list[str] = field(default_factory=list)  # what was brought in line with the gateway
    mismatches: list[Mismatch] = field(default_factory=list)  # what a person must look at

    def as_dict(self) -> dict:
        return {
            "settled": self.settled,
            "mismatches": [f"payment {m.payment_id or '-'} {m.reference or '-'}: {m.problem}" for m in self.mismatches],
        }


def open_attempts_settle(*, now: datetime | None = None, report: Reconciliation | None = None) -> Reconciliation:
    """Each open card attempt brought in line with the gateway; one that waits for the payer's bank longer than
    PAYMENT_ACTION_TIMEOUT_SECONDS is cancelled at the gateway, so the instalment can be paid another way."""
    now = now or timezone.now()
    report = report or Reconciliation()
    stale_after = timedelta(seconds=settings.PAYMENT_ATTEMPT_STALE_SECONDS)
    action_timeout = timedelta(seconds=settings.PAYMENT_ACTION_TIMEOUT_SECONDS)
    for payment in Payment.objects.filter(method=PaymentMethod.CARD, status__in=OPEN_CARD_STATES).order_by("pk"):
        before = payment.status
        try:
            if payment.status == PaymentStatus.REQUIRES_ACTION and now - payment.created_at >= action_timeout:
                payment = payment_apply_gateway_state(
                    payment=payment, state=get_gateway().cancel(payment.gateway_reference)
                )
            else:
                payment = payment_refresh(payment=payment, stale_after=stale_after)
        except PaymentError as error:
            report.mismatches.append(Mismatch(payment.pk, payment.gateway_reference or "", f"gateway: {error.message}"))
            continue
        if payment.status != before:
            report.settled.append(f"payment {payment.pk}: {before} → {payment.status}")
    return report


def pending_refunds_settle(*, now: datetime | None = None, report: Reconciliation | None = None) -> Reconciliation:
    """Each card refund whose answer was lost: found at the gateway by its id in the metadata, or failed once
    the gateway has no trace of it after longer than any request can take."""
    now = now or timezone.now()
    report = report or Reconciliation()
    stale_after = timedelta(seconds=settings.PAYMENT_ATTEMPT_STALE_SECONDS)
    gateway = get_gateway()
    for refund in Refund.objects.filter(status=RefundStatus.PENDING).select_related("payment").order_by("pk"):
        try:
            state = gateway.find_refund(refund.payment.gateway_reference, refund_key=refund.idempotency_key)
        except PaymentError as error:
            report.mismatches.append(Mismatch(refund.payment_id, "", f"refund {refund.pk}: gateway: {error.message}"))
            continue
        if state is not None:
            refund_apply_gateway_state(refund=refund, state=state)
            report.settled.append(f"refund {refund.pk}: found at the gateway ({state.status})")
        elif now - refund.created_at >= stale_after:
            refund_record_failure(refund=refund, message="never reached the payment service; nothing was refunded")
            report.settled.append(f"refund {refund.pk}: never reached the gateway")
    return report


def card_payments_compare(*, since: datetime | None = None, report: Reconciliation | None = None) -> Reconciliation:
    """Our card payments with a gateway reference against the gateway's records. Money the gateway took for an
    attempt we had given up on is recorded (as surplus if its instalment was paid since); other differences
    are reported."""
    report = report or Reconciliation()
    gateway = get_gateway()
    ours = Payment.objects.filter(method=PaymentMethod.CARD).exclude(gateway_reference=None).order_by("pk")
    if since is not None:
        ours = ours.filter(created_at__gte=since)
    for payment in ours.iterator():
        try:
            state = gateway.retrieve(payment.gateway_reference)
        except PaymentError as error:
            report.mismatches.append(Mismatch(payment.pk, payment.gateway_reference, f"gateway: {error.message}"))
            continue
        if state.amount_fen != payment.amount_fen:
            report.mismatches.append(
                Mismatch(payment.pk, payment.gateway_reference, f"amount {payment.amount_fen} ≠ {state.amount_fen}")
            )
            continue
        received = payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.SURPLUS)
        if state.status == "succeeded" and not received:
            before = payment.status
            payment = payment_apply_gateway_state(payment=payment, state=state)
            report.settled.append(f"payment {payment.pk}: {before} → {payment.status} (the gateway took the money)")
            received = True
        elif received and state.status != "succeeded":
            report.mismatches.append(
                Mismatch(payment.pk, payment.gateway_reference, f"status {payment.status} ≠ gateway {state.status}")
            )
        if received and state.amount_refunded_fen != payment.refunded_fen:
            report.mismatches.append(
                Mismatch(
                    payment.pk,
                    payment.gateway_reference,
                    f"refunded {payment.refunded_fen} ≠ gateway {state.amount_refunded_fen}",
                )
            )
    return report


def orphan_charges_adopt(*, report: Reconciliation | None = None) -> Reconciliation:
    """Charges among the gateway's latest that carry one of our attempts' keys but are not the charge we
    recorded for it (a gateway that ignored the key charged twice): recorded, so a broker refunds them."""
    report = report or Reconciliation()
    try:
        charges = get_gateway().list_charges(limit=100)
    except PaymentError as error:
        report.mismatches.append(Mismatch(None, "", f"gateway: {error.message}"))
        return report
    known = set(
        Payment.objects.filter(gateway_reference__in=[c.reference for c in charges]).values_list(
            "gateway_reference", flat=True
        )
    )
    for charge in charges:
        key = charge.metadata.get("attempt_key")
        if not key or charge.reference in known:
            continue
        attempt = Payment.objects.filter(idempotency_key=key).first()
        if attempt is None:
            report.mismatches.append(Mismatch(None, charge.reference, "charged at the gateway, unknown here"))
            continue
        adopted = payment_apply_gateway_state(payment=attempt, state=charge)
        report.settled.append(f"charge {charge.reference} of attempt {attempt.pk}: recorded ({adopted.status})")
    return report


def deposits_check(*, report: Reconciliation | None = None) -> Reconciliation:
    """Every auction deposit's money accounted for: received == refunded + credited + forfeited + held. A
    deposit with a refund still pending is left to the next run (pending_refunds_settle finishes it first)."""
    report = report or Reconciliation()
    pending = set(
        Refund.objects.filter(status=RefundStatus.PENDING, payment__instalment__kind="deposit").values_list(
            "payment__instalment_id", flat=True
        )
    )
    for instalment_id, figures in deposit_ledger()["unbalanced"].items():
        if instalment_id in pending:
            continue
        accounted = figures["refunded"] + figures["credited"] + figures["forfeited"] + figures["held"]
        report.mismatches.append(
            Mismatch(
                None,
                f"deposit {instalment_id}",
                f"received {figures['received']} ≠ refunded {figures['refunded']} + credited {figures['credited']}"
                f" + forfeited {figures['forfeited']} + held {figures['held']} (= {accounted})",
            )
        )
    return report


def payments_reconcile(*, compare_all: bool = False) -> list[Mismatch]:
    """Everything reconciliation does; returns what a person must look at (also logged)."""
    return payments_reconcile_report(compare_all=compare_all).mismatches


def payments_reconcile_report(*, compare: bool = True, compare_all: bool = False) -> Reconciliation:
    """Open attempts and refunds settled, stray charges recorded; with `compare`, every card payment of the last
    COMPARE_DAYS (or of all time) checked against the gateway too, one request each (so the frequent run leaves
    that to the nightly one)."""
    report = Reconciliation()
    open_attempts_settle(report=report)
    pending_refunds_settle(report=report)
    if compare:
        since = None if compare_all else timezone.now() - timedelta(days=COMPARE_DAYS)
        card_payments_compare(since=since, report=report)
    orphan_charges_adopt(report=report)
    deposits_check(report=report)
    for line in report.settled:
        logger.info("Reconciliation: %s", line)
    for mismatch in report.mismatches:
        logger.warning(
            "Reconciliation mismatch: payment %s %s: %s", mismatch.payment_id, mismatch.reference, mismatch.problem
        )
    return report
