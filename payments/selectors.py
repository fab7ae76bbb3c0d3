"""Reads of payments. Whoever may see a deal may see its payments; the deals app decides who that is."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from deals.models import Deal
from deals.selectors import deals_visible_to
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of
from payments.models import BankTransfer, Instalment, Payment, PaymentMethod, PaymentStatus, SavedCard


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
    base = Payment.objects.select_related("instalment__deal__listing", "bank_transfer").order_by("created_at")
    if not scope.is_staff:
        base = base.none()
    elif not scope.everything:
        base = base.filter(scope.filter_q("instalment__deal__centre_id"))
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
