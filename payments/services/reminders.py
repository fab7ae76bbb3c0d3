"""Chasing what is due: automatic card payments on the due date for buyers who opted in, and reminder mails for
overdue instalments. Both run daily on the task runner and are idempotent."""

import logging
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.core.forms import service_error_text
from payments.models import (
    OPEN_PAYMENT_STATES,
    Instalment,
    InstalmentKind,
    InstalmentReminder,
    InstalmentStatus,
    Payment,
    PaymentStatus,
    SavedCard,
)
from payments.services.cards import card_payment_start
from payments.services.common import PAYABLE_DEAL_STATES
from payments.signals import auto_pay_failed, instalments_overdue

logger = logging.getLogger(__name__)

# Days after the due date at which the buyer is reminded, once each.
REMINDER_STAGES = (1, 7, 30)
# An automatic charge that failed is not tried again for this long (a declined card stays declined).
AUTO_PAY_RETRY_DAYS = 3


def _due_and_payable():
    return (
        # Deposits are paid when the bidder chooses, before the auction: never charged or chased here.
        Instalment.objects.filter(status=InstalmentStatus.DUE, deal__status__in=PAYABLE_DEAL_STATES)
        .exclude(kind=InstalmentKind.DEPOSIT)
        .exclude(payments__status__in=OPEN_PAYMENT_STATES)
        .select_related("deal", "deal__listing", "deal__buyer")
    )


def instalments_charge_automatically(*, today: date | None = None) -> int:
    """Charge the saved card of each buyer who asked for it, for every instalment due by today. Returns how
    many attempts were started. Safe to run twice: an instalment with an attempt under way is skipped."""
    today = today or timezone.localdate()
    started = 0
    recent_failure = timezone.now() - timedelta(days=AUTO_PAY_RETRY_DAYS)
    for instalment in _due_and_payable().filter(due_date__lte=today).order_by("due_date", "pk"):
        card = SavedCard.objects.filter(
            organisation_id=instalment.payer_organisation_id, active=True, auto_pay=True
        ).first()
        if card is None:
            continue
        if Payment.objects.filter(
            instalment=instalment, automatic=True, status=PaymentStatus.FAILED, created_at__gte=recent_failure
        ).exists():
            continue
        try:
            payment, created = card_payment_start(
                instalment=instalment, actor=card.created_by, saved_card=card, automatic=True
            )
        except (ValidationError, PermissionDenied) as error:
            reason = service_error_text(error)
            logger.info("Automatic payment of instalment %s not made: %s", instalment.pk, reason)
            if isinstance(error, PermissionDenied):
                # The person who opted in no longer pays for the buyer: their consent ends here, not daily mail.
                SavedCard.objects.filter(pk=card.pk).update(auto_pay=False)
            auto_pay_failed.send(sender=Instalment, instalment=instalment, card=card, reason=str(reason))
            continue
        started += int(created)
    return started


def overdue_reminders_send(*, today: date | None = None) -> int:
    """Remind the buyer's people of overdue instalments at 1, 7 and 30 days, once per stage, in one mail per
    deal. The reminder rows are written in the transaction that queues the mail: a second run finds them and
    sends nothing. Returns how many mails were queued."""
    today = today or timezone.localdate()
    by_deal: dict[int, list[tuple[Instalment, int]]] = {}
    reminded = set(InstalmentReminder.objects.values_list("instalment_id", "days_overdue"))
    for instalment in _due_and_payable().filter(due_date__lt=today).order_by("deal_id", "due_date", "pk"):
        stages = [stage for stage in REMINDER_STAGES if stage <= (today - instalment.due_date).days]
        if stages and (instalment.pk, stages[-1]) not in reminded:
            by_deal.setdefault(instalment.deal_id, []).append((instalment, stages[-1]))
    sent = 0
    for items in by_deal.values():
        try:
            with transaction.atomic():
                for instalment, stage in items:
                    InstalmentReminder.objects.create(instalment=instalment, days_overdue=stage)
                # In the transaction that records the reminders: payments.receivers enqueues the mail (the runner's
                # queue is in this database), so they are reminded and owed a mail, or neither.
                instalments_overdue.send(
                    sender=Instalment,
                    overdue=[[instalment.pk, (today - instalment.due_date).days] for instalment, _stage in items],
                )
        except IntegrityError:
            continue  # another run reminded these meanwhile
        sent += 1
    return sent
