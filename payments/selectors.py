from django.db.models import QuerySet

from marketplace.deals.models import Deal
from payments.models import Instalment, Payment, PaymentStatus


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
