"""Every write to payments: schedules, card payments, bank transfers, webhooks, refunds, reconciliation."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from listings.models import Mode
from listings.services import sniff_content_type, stored_name
from marketplace.centres.selectors import staff_scope
from marketplace.deals.models import Deal, DealStatus
from marketplace.deals.services.deals import deal_cancel, deal_mark_settled
from marketplace.organisations.selectors import organisation_ids_of
from payments.gateways import get_gateway
from payments.gateways.base import ChargeRequest, PaymentDeclined, PaymentError, WebhookEvent
from payments.models import (
    BankTransfer,
    GatewayEvent,
    Instalment,
    InstalmentKind,
    InstalmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RoyaltyReport,
)
from payments.signals import payment_received, payment_refunded

logger = logging.getLogger(__name__)
PAYMENT_TERM_DAYS = 30
PAYABLE_DEAL_STATES = (DealStatus.CONTRACT_SIGNED, DealStatus.REGISTERED, DealStatus.SETTLED, DealStatus.COMPLETED)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


# --- The schedule -------------------------------------------------------------------------------------------


def split_evenly(total_fen: int, parts: int) -> list[int]:
    """Split an amount into `parts` instalments of whole fen; the last one absorbs the remainder."""
    parts = max(1, parts)
    base = total_fen // parts
    return [base] * (parts - 1) + [total_fen - base * (parts - 1)]


def service_fee_fen(fixed_total_fen: int) -> int:
    basis_points = settings.PLATFORM_SERVICE_FEE_BASIS_POINTS
    fee = (Decimal(fixed_total_fen) * basis_points / Decimal(10_000)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(fee)


@transaction.atomic
def schedule_build(*, deal: Deal, today: date | None = None) -> list[Instalment]:
    """Derive what the buyer owes from the accepted terms. Idempotent: a deal's schedule is built once."""
    existing = list(deal.instalments.all())
    if existing:
        return existing
    today = today or timezone.localdate()
    offer = deal.offer
    rows: list[Instalment] = []
    if deal.mode == Mode.LICENCE and offer.upfront_fee_fen:
        rows.append(Instalment(deal=deal, kind=InstalmentKind.UPFRONT, amount_fen=offer.upfront_fee_fen))
    elif deal.mode == Mode.TRANSFER and offer.price_fen:
        for index, amount in enumerate(split_evenly(offer.price_fen, offer.instalments or 1), start=1):
            rows.append(Instalment(deal=deal, kind=InstalmentKind.INSTALMENT, sequence=index, amount_fen=amount))
    fixed_total = sum(row.amount_fen for row in rows)
    fee = service_fee_fen(fixed_total)
    if fee > 0:
        rows.append(Instalment(deal=deal, kind=InstalmentKind.SERVICE_FEE, amount_fen=fee))
    for index, row in enumerate(rows):
        # Instalments of a transfer fall due a month apart; everything else within the payment term.
        row.due_date = today + timedelta(
            days=PAYMENT_TERM_DAYS * (max(index, 0) + 1 if row.kind == "instalment" else 1)
        )
        row.full_clean(exclude=["royalty_report"])
    return Instalment.objects.bulk_create(rows)


def royalty_due_fen(
    *, sales_fen: int, rate_percent: Decimal | None, minimum_annual_fen: int | None, months: int
) -> int:
    royalty = (Decimal(sales_fen) * (rate_percent or 0) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    minimum = (Decimal(minimum_annual_fen or 0) * months / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(max(royalty, minimum))


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + 1)


@transaction.atomic
def royalty_report_submit(*, deal: Deal, actor, period_start: date, period_end: date, sales_fen: int) -> RoyaltyReport:
    """The licensee reports its sales for a period; the royalty falls due from the agreed rate and minimum."""
    if deal.buyer_id not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only the licensee reports its sales."))
    if deal.mode != Mode.LICENCE or not (deal.offer.royalty_rate or deal.offer.minimum_annual_royalty_fen):
        raise ValidationError(_("This deal has no royalty."))
    if deal.status not in PAYABLE_DEAL_STATES:
        raise ValidationError(_("Royalties are reported once the contract is signed."))
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    if period_end > timezone.localdate():
        # Sales are known once the period is over; a far-future end would also overflow the due date below.
        raise ValidationError(_("The period has not ended yet: report its sales once it has."))
    if sales_fen < 0:
        raise ValidationError(_("Sales cannot be negative."))
    if RoyaltyReport.objects.filter(deal=deal, period_start=period_start).exists():
        raise ValidationError(_("Sales for this period have already been reported."))
    royalty = royalty_due_fen(
        sales_fen=sales_fen,
        rate_percent=deal.offer.royalty_rate,
        minimum_annual_fen=deal.offer.minimum_annual_royalty_fen,
        months=_months(period_start, period_end),
    )
    report = RoyaltyReport.objects.create(
        deal=deal,
        period_start=period_start,
        period_end=period_end,
        sales_fen=sales_fen,
        royalty_fen=royalty,
        reported_by=actor,
    )
    if royalty > 0:
        sequence = deal.instalments.filter(kind=InstalmentKind.ROYALTY).count() + 1
        Instalment.objects.create(
            deal=deal,
            kind=InstalmentKind.ROYALTY,
            sequence=sequence,
            amount_fen=royalty,
            due_date=period_end + timedelta(days=PAYMENT_TERM_DAYS),
            royalty_report=report,
        )
    return report


# --- Recording money that arrived ---------------------------------------------------------------------------


def settle_if_all_fixed_paid(deal: Deal) -> None:
    if deal.mode == Mode.EQUITY:
        return  # an equity deal settles on its recorded share registration, never on payments
    fixed = deal.instalments.exclude(kind=InstalmentKind.ROYALTY).exclude(status=InstalmentStatus.CANCELLED)
    if (
        deal.status in (DealStatus.CONTRACT_SIGNED, DealStatus.REGISTERED)
        and not fixed.exclude(status=InstalmentStatus.PAID).exists()
    ):
        deal_mark_settled(deal=deal, actor=None, note=_("Everything due has been paid."))


@transaction.atomic
def payment_record_success(*, payment: Payment) -> Payment:
    """Mark a payment succeeded and its instalment paid, exactly once: the row lock and the status check make
    a second call (a replayed webhook, the synchronous answer racing the webhook) a no-op."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == PaymentStatus.SUCCEEDED:
        return payment
    instalment = Instalment.objects.select_for_update().get(pk=payment.instalment_id)
    if instalment.status == InstalmentStatus.PAID:
        # Another payment already paid this instalment; this money must be refunded, not counted twice.
        logger.warning("Payment %s arrived for instalment %s that is already paid", payment.pk, instalment.pk)
        payment.failure_message = "duplicate: instalment already paid"
        payment.save(update_fields=["failure_message"])
        return payment
    now = timezone.now()
    payment.status = PaymentStatus.SUCCEEDED
    payment.succeeded_at = now
    payment.failure_message = ""
    payment.save(update_fields=["status", "succeeded_at", "failure_message"])
    instalment.status = InstalmentStatus.PAID
    instalment.paid_at = now
    instalment.save(update_fields=["status", "paid_at"])
    deal = instalment.deal
    payment_received.send(
        sender=Payment,
        payment=payment,
        deal=deal,
        amount_fen=payment.amount_fen,
        kind=instalment.kind,
        received_on=timezone.localdate(now),
    )
    settle_if_all_fixed_paid(deal)
    return payment


@transaction.atomic
def payment_record_failure(*, payment: Payment, message: str) -> Payment:
    """A failure never undoes a success: a late "failed" event for a succeeded payment changes nothing."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status in (PaymentStatus.PENDING,):
        payment.status = PaymentStatus.FAILED
        payment.failure_message = message[:300]
        payment.save(update_fields=["status", "failure_message"])
    return payment


def _require_buyer(instalment: Instalment, actor) -> None:
    if instalment.deal.buyer_id not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only the buyer pays this deal."))


def _require_payable(instalment: Instalment) -> None:
    if instalment.status != InstalmentStatus.DUE:
        raise ValidationError(_("This amount is not due (any more)."))
    if instalment.deal.status not in PAYABLE_DEAL_STATES:
        raise ValidationError(_("Payment opens once both parties have signed the contract."))


def card_payment_start(*, instalment: Instalment, actor, token: str) -> Payment:
    """Charge a card for one instalment. The payment row is committed before the gateway is called, so a crash
    in between leaves a pending payment that reconciliation and the webhook can still resolve."""
    gateway = get_gateway()
    with transaction.atomic():
        instalment = Instalment.objects.select_for_update().select_related("deal").get(pk=instalment.pk)
        _require_buyer(instalment, actor)
        _require_payable(instalment)
        if instalment.amount_fen > gateway.max_charge_fen:
            raise ValidationError(
                _(
                    "%(amount)s yuan is more than a single card payment can carry (at most %(limit)s yuan): "
                    "please pay by bank transfer; a broker records it."
                )
                % {"amount": f"{instalment.amount_fen / 100:,.2f}", "limit": f"{gateway.max_charge_fen / 100:,.2f}"},
                code="over_card_limit",
            )
        if not token or len(token) > 200:
            raise ValidationError(_("The card details did not reach us; please enter them again."))
        attempt = instalment.payments.count() + 1
        payment = Payment.objects.create(
            instalment=instalment,
            method=PaymentMethod.CARD,
            amount_fen=instalment.amount_fen,
            gateway=gateway.name,
            created_by=actor,
        )
    try:
        response = gateway.charge(
            ChargeRequest(
                amount_fen=payment.amount_fen,
                currency=settings.PAYMENT_CURRENCY,
                payment_method_token=token,
                description=f"Deal {instalment.deal_id} {instalment.kind} #{instalment.sequence}",
                idempotency_key=f"instalment-{instalment.pk}-attempt-{attempt}",
                metadata={"payment_id": str(payment.pk), "deal_id": str(instalment.deal_id)},
            )
        )
    except PaymentDeclined as error:
        payment_record_failure(payment=payment, message=error.message)
        raise ValidationError(_("The card was declined: %(reason)s") % {"reason": error.message}) from None
    except PaymentError as error:
        payment_record_failure(payment=payment, message=error.message)
        raise ValidationError(_("The payment service could not be reached; nothing was charged. Try again.")) from None
    Payment.objects.filter(pk=payment.pk).update(gateway_reference=response.reference)
    payment.gateway_reference = response.reference
    if response.status == "succeeded":
        return payment_record_success(payment=payment)
    if response.status == "failed":
        return payment_record_failure(payment=payment, message="failed")
    return payment


# --- Webhooks -----------------------------------------------------------------------------------------------

HANDLED_EVENTS = {"payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"}


@transaction.atomic
def webhook_handle(event: WebhookEvent) -> str:
    """Act on a verified gateway event exactly once.

    The event id is stored first under a unique constraint: a concurrent duplicate blocks on it and then finds
    it taken. The object's *current* state is read from the gateway rather than trusting the event's copy, so
    events arriving out of order converge on the truth, and a late failure never undoes a success.
    """
    try:
        with transaction.atomic():
            record = GatewayEvent.objects.create(
                event_id=event.event_id, type=event.type, object_reference=event.object_reference
            )
    except IntegrityError:
        return "duplicate"
    if event.type not in HANDLED_EVENTS:
        outcome = "ignored"
    else:
        payment = Payment.objects.filter(gateway_reference=event.object_reference).first()
        if payment is None:
            outcome = "unknown payment"
        else:
            state = get_gateway().retrieve(event.object_reference)
            if state.status == "succeeded":
                payment_record_success(payment=payment)
                outcome = "succeeded"
            elif state.status == "failed":
                payment_record_failure(payment=payment, message="failed (webhook)")
                outcome = "failed"
            else:
                outcome = state.status
    record.outcome = outcome
    record.save(update_fields=["outcome"])
    return outcome


# --- Bank transfers -----------------------------------------------------------------------------------------


def _require_hosting_staff(deal: Deal, actor) -> None:
    if not staff_scope(actor).covers(deal.centre_id):
        raise PermissionDenied(_("Only staff of the hosting operation centre handle bank transfers and refunds."))


@transaction.atomic
def bank_transfer_record(
    *, instalment: Instalment, actor, payer: str, amount_fen: int, transferred_on: date, bank_reference: str, evidence
) -> Payment:
    """A broker records a bank transfer with its evidence; it counts only once a second staff member confirms."""
    instalment = Instalment.objects.select_for_update().select_related("deal").get(pk=instalment.pk)
    _require_hosting_staff(instalment.deal, actor)
    _require_payable(instalment)
    if amount_fen != instalment.amount_fen:
        raise ValidationError(
            _("The transfer must match the amount due (%(due)s yuan).") % {"due": f"{instalment.amount_fen / 100:,.2f}"}
        )
    if transferred_on > timezone.localdate():
        raise ValidationError(_("The transfer date cannot be in the future."))
    if evidence is None or evidence.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("Attach the bank's receipt (PDF or image, at most 10 MB)."))
    evidence.seek(0)
    evidence_type = sniff_content_type(evidence.read(16))
    if evidence_type is None:
        raise ValidationError(_("The evidence must be a PDF or an image (judged by its content)."))
    evidence.seek(0)
    if BankTransfer.objects.filter(bank_reference=bank_reference.strip()).exists():
        raise ValidationError(_("This bank reference has already been recorded."))
    payment = Payment.objects.create(
        instalment=instalment,
        method=PaymentMethod.BANK_TRANSFER,
        amount_fen=amount_fen,
        status=PaymentStatus.AWAITING_CONFIRMATION,
        created_by=actor,
    )
    transfer = BankTransfer(
        payment=payment,
        payer=payer.strip(),
        transferred_on=transferred_on,
        bank_reference=bank_reference.strip(),
        recorded_by=actor,
    )
    transfer.evidence.save(stored_name(evidence.name, evidence_type), evidence, save=False)
    transfer.full_clean()
    transfer.save()
    return payment


@transaction.atomic
def bank_transfer_confirm(*, payment: Payment, actor) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    _require_hosting_staff(payment.instalment.deal, actor)
    # The status first: only a recorded bank transfer awaits confirmation, so a card payment stops here.
    if payment.status != PaymentStatus.AWAITING_CONFIRMATION:
        raise ValidationError(_("This transfer is not awaiting confirmation."))
    transfer = payment.bank_transfer
    if transfer.recorded_by_id == actor.pk:
        raise PermissionDenied(_("A second staff member must confirm a transfer; you recorded this one."))
    transfer.confirmed_by = actor
    transfer.confirmed_at = timezone.now()
    transfer.save(update_fields=["confirmed_by", "confirmed_at"])
    payment.status = PaymentStatus.PENDING
    payment.save(update_fields=["status"])
    return payment_record_success(payment=payment)


# --- Refunds ------------------------------------------------------------------------------------------------


def refund_issue(*, payment: Payment, actor, amount_fen: int, reason: str) -> Refund:
    """Refund all or part of a successful payment, never more than was paid and not yet refunded. A refund that
    returns everything paid on a completed deal cancels the deal, which reverses its indicator bookings."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("instalment__deal").get(pk=payment.pk)
        deal = payment.instalment.deal
        _require_hosting_staff(deal, actor)
        if payment.status != PaymentStatus.SUCCEEDED:
            raise ValidationError(_("Only a successful payment can be refunded."))
        refundable = payment.amount_fen - payment.refunded_fen
        if amount_fen <= 0 or amount_fen > refundable:
            raise ValidationError(
                _("The refund must be between 0.01 and %(max)s yuan (what is left of this payment).")
                % {"max": f"{refundable / 100:,.2f}"},
                code="refund_too_large",
            )
        if not reason.strip():
            raise ValidationError(_("Say why the money is refunded."))
        gateway_reference = ""
        if payment.method == PaymentMethod.CARD:
            sequence = payment.refunds.count() + 1
            response = get_gateway().refund(
                payment.gateway_reference, amount_fen, idempotency_key=f"refund-{payment.pk}-{sequence}"
            )
            gateway_reference = response.reference
        refund = Refund.objects.create(
            payment=payment,
            amount_fen=amount_fen,
            reason=reason.strip(),
            gateway_reference=gateway_reference,
            created_by=actor,
        )
        payment.refunded_fen += amount_fen
        payment.save(update_fields=["refunded_fen"])
        payment_refunded.send(
            sender=Refund,
            refund=refund,
            deal=deal,
            amount_fen=amount_fen,
            kind=payment.instalment.kind,
            refunded_on=timezone.localdate(),
        )
        paid = Payment.objects.filter(instalment__deal=deal, status=PaymentStatus.SUCCEEDED)
        everything_returned = all(p.refunded_fen >= p.amount_fen for p in paid)
        if deal.status == DealStatus.COMPLETED and everything_returned:
            deal_cancel(deal=deal, actor=actor, reason=_("Fully refunded: %(reason)s") % {"reason": reason.strip()})
    return refund


# --- Reconciliation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    payment_id: int | None
    reference: str
    problem: str


def payments_reconcile() -> list[Mismatch]:
    """Compare our card payments with the gateway's records; every difference is reported."""
    gateway = get_gateway()
    mismatches: list[Mismatch] = []
    ours = Payment.objects.filter(method=PaymentMethod.CARD).exclude(gateway_reference=None)
    known = set()
    for payment in ours.iterator():
        known.add(payment.gateway_reference)
        state = gateway.retrieve(payment.gateway_reference)
        if state.amount_fen != payment.amount_fen:
            mismatches.append(
                Mismatch(payment.pk, payment.gateway_reference, f"amount {payment.amount_fen} ≠ {state.amount_fen}")
            )
        ours_paid = payment.status == PaymentStatus.SUCCEEDED
        theirs_paid = state.status == "succeeded"
        if ours_paid != theirs_paid:
            mismatches.append(
                Mismatch(payment.pk, payment.gateway_reference, f"status {payment.status} ≠ gateway {state.status}")
            )
        if theirs_paid and state.amount_refunded_fen != payment.refunded_fen:
            mismatches.append(
                Mismatch(
                    payment.pk,
                    payment.gateway_reference,
                    f"refunded {payment.refunded_fen} ≠ gateway {state.amount_refunded_fen}",
                )
            )
    pending_without_reference = Payment.objects.filter(
        method=PaymentMethod.CARD, gateway_reference=None, status=PaymentStatus.PENDING
    )
    for payment in pending_without_reference:
        mismatches.append(Mismatch(payment.pk, "", "pending card payment never reached the gateway"))
    return mismatches
