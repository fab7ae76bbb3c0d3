"""Reads of payments. Whoever may see a deal may see its payments; the deals app decides who that is."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Deal
from deals.selectors import deals_visible_to
from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of
from payments.models import (
    RECEIVED_PAYMENT_STATES,
    BankTransfer,
    Instalment,
    InstalmentKind,
    InstalmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RoyaltyReport,
    SavedCard,
)


def deal_schedule(deal: Deal) -> QuerySet[Instalment]:
    return deal.instalments.prefetch_related("payments", "payments__bank_transfer", "payments__refunds")


def transfers_awaiting_confirmation(deal: Deal) -> QuerySet[Payment]:
    return Payment.objects.filter(instalment__deal=deal, status=PaymentStatus.AWAITING_CONFIRMATION).select_related(
        "bank_transfer", "bank_transfer__recorded_by", "instalment"
    )


def amount_paid_fen(deal: Deal) -> int:
    """What the buyer has paid towards what is due, net of refunds (surplus is not payment of anything)."""
    total = 0
    for payment in Payment.objects.filter(instalment__deal=deal, status=PaymentStatus.SUCCEEDED):
        refunded_of_applied = max(0, payment.refunded_fen - payment.surplus_fen)
        total += payment.amount_fen - payment.surplus_fen - refunded_of_applied
    return total


def bank_transfers_visible_to(user) -> QuerySet[BankTransfer]:
    """Transfers (and their receipts) of the deals the user may see: the members of its buyer and seller, and
    the staff of its centre and the centres above it (deals_visible_to)."""
    return BankTransfer.objects.filter(payment__instalment__deal__in=deals_visible_to(user).values("pk"))


def saved_cards_for(user, deal: Deal) -> QuerySet[SavedCard]:
    """The buyer organisation's cards, for its own members."""
    if deal.buyer_id not in organisation_ids_of(user):
        return SavedCard.objects.none()
    return SavedCard.objects.filter(organisation_id=deal.buyer_id, active=True)


@dataclass(frozen=True)
class Attention:
    """What the staff of a user's centres must act on."""

    surplus: QuerySet[Payment]  # money received twice (or too much): refund it
    announced: QuerySet[Payment]  # transfers the buyer announced: record them from the bank statement
    to_confirm: QuerySet[Payment]  # transfers recorded by a colleague: confirm them
    stuck: QuerySet[Payment]  # card attempts open for longer than a request can take

    @property
    def count(self) -> int:
        return sum(queryset.count() for queryset in (self.surplus, self.announced, self.to_confirm, self.stuck))


def payments_needing_attention(user) -> Attention:
    scope = staff_scope(user)
    base = Payment.objects.select_related("instalment__deal__listing", "instalment__payer", "bank_transfer").order_by(
        "created_at"
    )
    if not scope.is_staff:
        base = base.none()
    elif not scope.everything:
        # A deposit not (yet) credited to a deal is handled by the centre holding it.
        base = base.filter(
            scope.filter_q("instalment__deal__centre_id")
            | (Q(instalment__deal__isnull=True) & scope.filter_q("instalment__centre_id"))
        )
    stale = timezone.now() - timedelta(seconds=settings.PAYMENT_ATTEMPT_STALE_SECONDS)
    return Attention(
        surplus=base.filter(
            status__in=(PaymentStatus.SURPLUS, PaymentStatus.SUCCEEDED), surplus_fen__gt=F("refunded_fen")
        ),
        announced=base.filter(status=PaymentStatus.DECLARED),
        to_confirm=base.filter(status=PaymentStatus.AWAITING_CONFIRMATION).exclude(bank_transfer__recorded_by=user),
        stuck=base.filter(
            method=PaymentMethod.CARD,
            status__in=(PaymentStatus.PENDING, PaymentStatus.PROCESSING, PaymentStatus.REQUIRES_ACTION),
            created_at__lt=stale,
        ),
    )


# --- Auction deposits -----------------------------------------------------------------------------------------

DEPOSIT_LEDGER_FIELDS = ("received", "refunded", "credited", "forfeited", "held")


def _deposit_figures(instalment: Instalment, payments: list[Payment]) -> dict[str, int]:
    """One deposit's money. Surplus (money received for it twice) is held until refunded whatever the deposit's
    state; the applied part is held while the deposit is paid, then credited, forfeited or refunded. When
    nothing went wrong, received == refunded + credited + forfeited + held; a refund of a forfeited deposit, or
    a refunded (or cancelled) deposit still holding the money that paid it, breaks it."""
    figures = dict.fromkeys(DEPOSIT_LEDGER_FIELDS, 0)
    applied_left = 0
    for payment in payments:
        figures["received"] += payment.amount_fen
        figures["refunded"] += payment.refunded_fen
        figures["held"] += max(0, payment.surplus_fen - payment.refunded_fen)
        if payment.status == PaymentStatus.SUCCEEDED:
            applied_left += payment.applied_fen - max(0, payment.refunded_fen - payment.surplus_fen)
    applied = sum(payment.applied_fen for payment in payments)
    if instalment.status == InstalmentStatus.PAID:
        figures["held"] += applied_left
    elif instalment.status == InstalmentStatus.CREDITED:
        # Part of the deal's price now: refunding it with the deal's other payments is a refund like theirs.
        figures["credited"] += applied_left
    elif instalment.status == InstalmentStatus.FORFEITED:
        figures["forfeited"] += applied
    return figures


def deposit_ledger(*, instalment_ids=None) -> dict:
    """The auction deposits' money in fen (all of them, or those of `instalment_ids`): received, refunded,
    credited to a deal's price, forfeited and still held, with the invariant
    received == refunded + credited + forfeited + held. `unbalanced` lists the deposits that break it (by id,
    with their figures); `balanced` says whether there are none."""
    deposits = Instalment.objects.filter(kind=InstalmentKind.DEPOSIT).order_by("pk")
    if instalment_ids is not None:
        deposits = deposits.filter(pk__in=list(instalment_ids))
    received_by_deposit: dict[int, list[Payment]] = {}
    for payment in Payment.objects.filter(instalment__in=deposits, status__in=RECEIVED_PAYMENT_STATES):
        received_by_deposit.setdefault(payment.instalment_id, []).append(payment)
    totals = dict.fromkeys(DEPOSIT_LEDGER_FIELDS, 0)
    unbalanced = {}
    for deposit in deposits:
        figures = _deposit_figures(deposit, received_by_deposit.get(deposit.pk, []))
        for name in DEPOSIT_LEDGER_FIELDS:
            totals[name] += figures[name]
        if figures["received"] != sum(figures[name] for name in DEPOSIT_LEDGER_FIELDS[1:]):
            unbalanced[deposit.pk] = figures
    return {**totals, "balanced": not unbalanced, "unbalanced": unbalanced}


# --- A person's copy of their data (marketplace.accounts.signals.personal_data_requested) ---------------------


def _transfer_roles(transfer: BankTransfer, user) -> list[str]:
    roles = [
        ("declared", transfer.declared_by_id),
        ("recorded", transfer.recorded_by_id),
        ("confirmed", transfer.confirmed_by_id),
    ]
    return [role for role, person in roles if person == user.pk]


def personal_data_sections(user) -> list[PersonalDataSection]:
    """The payments the person started, the bank transfers they announced, recorded or confirmed (with the
    receipt listed, not attached), the cards they saved (brand and last four digits: the number is only ever at
    the gateway), the royalty reports they made and the refunds they issued."""
    payments = [
        {
            "deal_id": payment.instalment.deal_id,
            "instalment": payment.instalment.get_kind_display(),
            "method": payment.get_method_display(),
            "amount_fen": payment.amount_fen,
            "status": payment.get_status_display(),
            "automatic": payment.automatic,
            "started_at": payment.created_at,
            "succeeded_at": payment.succeeded_at,
        }
        for payment in Payment.objects.filter(created_by=user).select_related("instalment").order_by("created_at", "pk")
    ]
    transfers = [
        {
            "deal_id": transfer.payment.instalment.deal_id,
            "your_part": _transfer_roles(transfer, user),
            "payer": transfer.payer,
            "amount_fen": transfer.payment.amount_fen,
            "transferred_on": transfer.transferred_on,
            "receipt_file": PurePosixPath(transfer.evidence.name).name if transfer.evidence else "",
            "receipt_address": reverse(
                "payments:transfer_evidence", args=[transfer.payment.instalment.deal_id, transfer.payment_id]
            )
            if transfer.evidence and transfer.payment.instalment.deal_id is not None
            else "",
        }
        for transfer in BankTransfer.objects.filter(Q(declared_by=user) | Q(recorded_by=user) | Q(confirmed_by=user))
        .select_related("payment__instalment")
        .order_by("pk")
    ]
    cards = [
        {
            "organisation_id": card.organisation_id,
            "brand": card.brand,
            "last4": card.last4,
            "in_use": card.active,
            "saved_at": card.created_at,
        }
        for card in SavedCard.objects.filter(created_by=user).order_by("created_at", "pk")
    ]
    royalty_reports = [
        {
            "deal_id": report.deal_id,
            "period_start": report.period_start,
            "period_end": report.period_end,
            "sales_fen": report.sales_fen,
            "royalty_fen": report.royalty_fen,
            "reported_at": report.created_at,
        }
        for report in RoyaltyReport.objects.filter(reported_by=user).order_by("created_at", "pk")
    ]
    refunds = [
        {
            "payment_id": refund.payment_id,
            "amount_fen": refund.amount_fen,
            "reason": refund.reason,
            "status": refund.get_status_display(),
            "issued_at": refund.created_at,
        }
        for refund in Refund.objects.filter(created_by=user).order_by("created_at", "pk")
    ]
    return [
        PersonalDataSection("payments.payments", _("Payments you started"), payments),
        PersonalDataSection(
            "payments.bank_transfers", _("Bank transfers you announced, recorded or confirmed"), transfers
        ),
        PersonalDataSection("payments.saved_cards", _("Cards you saved"), cards),
        PersonalDataSection("payments.royalty_reports", _("Royalty reports you made"), royalty_reports),
        PersonalDataSection("payments.refunds", _("Refunds you issued"), refunds),
    ]
