"""Reads of payments. Whoever may see a deal may see its payments; the deals app decides who that is."""

from django.db.models import QuerySet

from marketplace.deals.models import Deal
from marketplace.deals.selectors import deals_visible_to
from payments.models import BankTransfer, Instalment, Payment, PaymentStatus


def deal_schedule(deal: Deal) -> QuerySet[Instalment]:
    return deal.instalments.prefetch_related("payments", "payments__bank_transfer", "payments__refunds")


def transfers_awaiting_confirmation(deal: Deal) -> QuerySet[Payment]:
    return Payment.objects.filter(instalment__deal=deal, status=PaymentStatus.AWAITING_CONFIRMATION).select_related(
        "bank_transfer", "bank_transfer__recorded_by", "instalment"
    )


def amount_paid_fen(deal: Deal) -> int:
    return sum(
        payment.amount_fen - payment.refunded_fen
        for payment in Payment.objects.filter(instalment__deal=deal, status=PaymentStatus.SUCCEEDED)
    )


def bank_transfers_visible_to(user) -> QuerySet[BankTransfer]:
    """Transfers (and their receipts) of the deals the user may see: the members of its buyer and seller, and
    the staff of its centre and the centres above it (deals_visible_to)."""
    return BankTransfer.objects.filter(payment__instalment__deal__in=deals_visible_to(user).values("pk"))
