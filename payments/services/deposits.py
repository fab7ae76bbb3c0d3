"""Auction deposits (竞买保证金): money a bidder pays to the centre running an auction before any deal exists.

A deposit is an Instalment of kind DEPOSIT with no deal, paid through the ordinary card and bank-transfer
services. While it is held it is nobody's revenue: receiving it announces `deposit_paid`, never
`payment_received`. It then ends one of three ways, each once:

- refunded (`deposit_refund`) to a bidder who did not win, by staff or by the platform itself;
- credited to the price of the winner's deal (`deposit_credit_to_deal`): it joins the deal, reduces its first
  unpaid price instalments, and only then is announced as payment received, so the indicators book it once;
- forfeited (`deposit_forfeit`) by a winner who walked away, as the centre's staff decide.

The auctions app calls these; payments never imports auctions.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Deal
from marketplace.centres.models import OperationCentre
from marketplace.organisations.models import Organisation
from payments.models import (
    RECEIVED_PAYMENT_STATES,
    Instalment,
    InstalmentKind,
    InstalmentStatus,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
)
from payments.services.common import lock_deal_of, open_payment_of, require_instalment_staff
from payments.services.receipts import settle_if_all_fixed_paid
from payments.services.refunds import refund_rest, refundable_fen
from payments.services.schedule import schedule_build
from payments.services.status import instalment_set_status
from payments.signals import payment_received

# The price instalments a deposit is credited to, in due order; never the platform's service fee or a royalty.
PRICE_KINDS = (InstalmentKind.UPFRONT, InstalmentKind.INSTALMENT)


def _require_deposit(instalment: Instalment) -> None:
    if not instalment.is_deposit:
        raise ValidationError(_("This is not an auction deposit."), code="not_a_deposit")


def _locked_deposit(instalment: Instalment) -> Instalment:
    locked = (
        Instalment.objects.select_for_update(of=("self",))
        .select_related("deal", "payer", "centre")
        .get(pk=instalment.pk)
    )
    lock_deal_of(locked)
    _require_deposit(locked)
    return locked


def _applied_payment(instalment: Instalment) -> Payment | None:
    """The payment that paid the deposit (an instalment has at most one that succeeded)."""
    return instalment.payments.filter(status=PaymentStatus.SUCCEEDED).first()


def _audit(instalment: Instalment, actor, note: str) -> None:
    """What happened to a paid deposit, in the audit trail of the payment that paid it (its status unchanged)."""
    payment = _applied_payment(instalment)
    if payment is not None:
        PaymentEvent.objects.create(
            payment=payment, from_status=payment.status, to_status=payment.status, actor=actor, note=note[:300]
        )


def deposit_instalment_open(
    *, payer: Organisation, centre: OperationCentre, amount_fen: int, reference: str, label: str
) -> Instalment:
    """The deposit `payer` owes to `centre`, due today, payable by card or bank transfer like any instalment.
    Idempotent on `reference` (the caller's key, e.g. the auction and the bidder): the same reference returns
    the deposit already opened, whatever the other arguments."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("A deposit needs a reference."), code="deposit_reference")
    existing = Instalment.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    instalment = Instalment(
        deal=None,
        kind=InstalmentKind.DEPOSIT,
        payer=payer,
        centre=centre,
        amount_fen=amount_fen,
        due_date=timezone.localdate(),
        reference=reference,
        label=label.strip()[:200],
    )
    if amount_fen is None or amount_fen <= 0:
        raise ValidationError(_("A deposit must be more than nothing."), code="deposit_amount")
    instalment.full_clean(exclude=["deal", "royalty_report", "payer", "centre"], validate_constraints=False)
    try:
        with transaction.atomic():
            instalment.save()
    except IntegrityError:
        # Opened meanwhile by a concurrent call with the same reference.
        return Instalment.objects.get(reference=reference)
    return instalment


def deposit_refund(*, instalment: Instalment, reason: str, actor=None) -> list[Refund]:
    """Return the whole deposit: for every payment received for it, refund what is left of it (a card through
    the gateway with its idempotency key, finished by reconciliation after a crash; a bank transfer recorded as
    returned by `actor`, or by the platform when `actor` is None, as the task runner does for the bidders who
    did not win). Staff of the holding centre may call it too. Idempotent: a second call finds nothing left and
    returns []. A fully refunded deposit becomes REFUNDED; one never paid is cancelled, so it can no longer be
    paid (money arriving after that is kept as surplus and found by this call or by staff)."""
    if actor is not None:
        require_instalment_staff(instalment, actor)
    if not reason.strip():
        raise ValidationError(_("Say why the money is refunded."))
    with transaction.atomic():
        locked = _locked_deposit(instalment)
        if locked.status in (InstalmentStatus.CREDITED, InstalmentStatus.FORFEITED):
            raise ValidationError(
                _("This deposit is %(status)s: it cannot be refunded.") % {"status": locked.get_status_display()},
                code="deposit_not_refundable",
            )
        if locked.status == InstalmentStatus.DUE and open_payment_of(locked) is None:
            instalment_set_status(instalment=locked, to_status=InstalmentStatus.CANCELLED)
        payment_ids = list(
            locked.payments.filter(status__in=RECEIVED_PAYMENT_STATES).order_by("attempt").values_list("pk", flat=True)
        )
    refunds = []
    # Each refund is counted under its payment's row lock; card refunds call the gateway outside any transaction.
    for payment in Payment.objects.filter(pk__in=payment_ids).order_by("attempt"):
        refund = refund_rest(payment=payment, actor=actor, reason=reason)
        if refund is not None:
            refunds.append(refund)
    with transaction.atomic():
        locked = _locked_deposit(instalment)
        received = list(locked.payments.filter(status__in=RECEIVED_PAYMENT_STATES))
        if locked.status == InstalmentStatus.PAID and all(refundable_fen(p) <= 0 for p in received):
            instalment_set_status(instalment=locked, to_status=InstalmentStatus.REFUNDED)
            _audit(locked, actor, f"deposit refunded: {reason.strip()}")
    instalment.refresh_from_db()
    return refunds


@transaction.atomic
def deposit_credit_to_deal(*, instalment: Instalment, deal: Deal) -> None:
    """The winner's paid deposit counts toward the price of their deal: it joins the deal (kind DEPOSIT, status
    CREDITED) and reduces the deal's first unpaid price instalments (upfront fee or transfer instalments, in
    due order; never the service fee); one covered in full is paid. Then the credited amount is announced as
    payment received for the deal, with the kind of the first instalment it paid, so the indicators book it
    once (keyed by the deposit's payment). Idempotent for the same deal.

    The deal's schedule is built first if it is not yet (schedule_build is idempotent). The auctions app
    creates the deal (deal_agreed builds its schedule), then calls this."""
    locked = _locked_deposit(instalment)
    if locked.status == InstalmentStatus.CREDITED:
        if locked.deal_id == deal.pk:
            return
        raise ValidationError(_("This deposit is already credited to another deal."), code="deposit_credited")
    if locked.status != InstalmentStatus.PAID:
        raise ValidationError(_("Only a paid deposit can be credited to a price."), code="deposit_not_paid")
    if deal.buyer_id != locked.payer_id:
        raise PermissionDenied(_("A deposit counts only toward its own bidder's deal."))
    payment = _applied_payment(locked)
    applied_refunded = max(0, payment.refunded_fen - payment.surplus_fen)
    credit = payment.applied_fen - applied_refunded
    if credit <= 0:
        raise ValidationError(_("Nothing of this deposit is left to credit."), code="deposit_empty")
    schedule_build(deal=deal)
    targets = list(
        Instalment.objects.select_for_update()
        .filter(deal=deal, kind__in=PRICE_KINDS, status=InstalmentStatus.DUE)
        .order_by("due_date", "sequence", "pk")
    )
    if credit > sum(target.amount_fen for target in targets):
        raise ValidationError(
            _("The deposit is more than what is left to pay of the price."), code="deposit_exceeds_price"
        )
    now = timezone.now()
    left = credit
    kinds = []
    for target in targets:
        if left <= 0:
            break
        if open_payment_of(target) is not None:
            raise ValidationError(
                _("A payment of the price is under way; credit the deposit once it has ended."),
                code="attempt_under_way",
            )
        kinds.append(target.kind)
        if left >= target.amount_fen:
            left -= target.amount_fen
            instalment_set_status(instalment=target, to_status=InstalmentStatus.PAID, paid_at=now)
        else:
            target.amount_fen -= left
            target.full_clean(exclude=["deal", "royalty_report", "payer", "centre"], validate_constraints=False)
            target.save(update_fields=["amount_fen"])
            left = 0
    instalment_set_status(instalment=locked, to_status=InstalmentStatus.CREDITED, deal=deal)
    _audit(locked, None, f"deposit credited to deal {deal.pk}")
    payment_received.send(
        sender=Payment,
        payment=payment,
        deal=deal,
        amount_fen=credit,
        kind=kinds[0],
        received_on=timezone.localdate(now),
    )
    settle_if_all_fixed_paid(deal)


@transaction.atomic
def deposit_forfeit(*, instalment: Instalment, actor, reason: str) -> Instalment:
    """Staff of the holding centre decide that a winner who walked away loses their deposit: FORFEITED, with
    who decided and why in the audit trail of the payment that paid it. Nothing is refunded or booked."""
    require_instalment_staff(instalment, actor)
    locked = _locked_deposit(instalment)
    if not reason.strip():
        raise ValidationError(_("Say why the deposit is forfeited."))
    if locked.status == InstalmentStatus.FORFEITED:
        return locked
    if locked.status != InstalmentStatus.PAID:
        raise ValidationError(_("Only a deposit that is held can be forfeited."), code="deposit_not_held")
    instalment_set_status(instalment=locked, to_status=InstalmentStatus.FORFEITED)
    _audit(locked, actor, f"deposit forfeited: {reason.strip()}")
    return locked
