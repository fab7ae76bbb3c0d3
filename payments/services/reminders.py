"""Chasing what is due: automatic card payments on the due date for buyers who opted in, and reminder mails for
overdue instalments. Both run daily on the task runner and are idempotent."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from marketplace.background.mail import mail_queue
from marketplace.core.forms import service_error_text
from marketplace.organisations.models import Membership
from payments.models import (
    OPEN_PAYMENT_STATES,
    Instalment,
    InstalmentReminder,
    InstalmentStatus,
    Payment,
    PaymentStatus,
    SavedCard,
)
from payments.services.cards import card_payment_start
from payments.services.common import PAYABLE_DEAL_STATES, yuan
from payments.services.transfers import collection_account_for, transfer_reference

logger = logging.getLogger(__name__)

# Days after the due date at which the buyer is reminded, once each.
REMINDER_STAGES = (1, 7, 30)
# An automatic charge that failed is not tried again for this long (a declined card stays declined).
AUTO_PAY_RETRY_DAYS = 3


def _due_and_payable():
    return (
        Instalment.objects.filter(status=InstalmentStatus.DUE, deal__status__in=PAYABLE_DEAL_STATES)
        .exclude(payments__status__in=OPEN_PAYMENT_STATES)
        .select_related("deal", "deal__listing", "deal__buyer")
    )


def _buyer_emails(instalment: Instalment) -> list[str]:
    emails = Membership.objects.filter(organisation_id=instalment.deal.buyer_id, user__is_active=True).values_list(
        "user__email", flat=True
    )
    return sorted({email for email in emails if email})


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


AUTO_PAY_FAILED_SUBJECT = gettext_lazy("Automatic payment failed: %(amount)s yuan for deal #%(deal)s")
OVERDUE_SUBJECT = gettext_lazy("Payment overdue: %(amount)s yuan for deal #%(deal)s, due %(due)s")


def _mail_buyer(instalment: Instalment, template: str, subject, subject_args: dict, **context) -> None:
    """Mail the buyer's people in the site's language (the subject is a lazy translation, filled in there)."""
    recipients = _buyer_emails(instalment)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            template,
            {
                "instalment": instalment,
                "deal": instalment.deal,
                "amount": yuan(instalment.amount_fen),
                "reference": transfer_reference(instalment),
                "account": collection_account_for(instalment.deal),
                "payments_url": _absolute(reverse("payments:deal", args=[instalment.deal_id])),
                "platform_name": settings.PLATFORM_NAME,
                **context,
            },
        )
        mail_queue(EmailMessage(" ".join((str(subject) % subject_args).split()), body, to=recipients))


def instalments_charge_automatically(*, today: date | None = None) -> int:
    """Charge the saved card of each buyer who asked for it, for every instalment due by today. Returns how
    many attempts were started. Safe to run twice: an instalment with an attempt under way is skipped."""
    today = today or timezone.localdate()
    started = 0
    recent_failure = timezone.now() - timedelta(days=AUTO_PAY_RETRY_DAYS)
    for instalment in _due_and_payable().filter(due_date__lte=today).order_by("due_date", "pk"):
        card = SavedCard.objects.filter(organisation_id=instalment.deal.buyer_id, active=True, auto_pay=True).first()
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
            _mail_buyer(
                instalment,
                "payments/auto_pay_failed_email.txt",
                AUTO_PAY_FAILED_SUBJECT,
                {"amount": yuan(instalment.amount_fen), "deal": instalment.deal_id},
                reason=reason,
                card=card,
            )
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
        first = items[0][0]
        try:
            with transaction.atomic():
                for instalment, stage in items:
                    InstalmentReminder.objects.create(instalment=instalment, days_overdue=stage)
                _mail_buyer(
                    first,
                    "payments/overdue_email.txt",
                    OVERDUE_SUBJECT,
                    {
                        "amount": yuan(sum(instalment.amount_fen for instalment, _stage in items)),
                        "deal": first.deal_id,
                        "due": first.due_date,
                    },
                    overdue=[
                        {
                            "instalment": instalment,
                            "amount": yuan(instalment.amount_fen),
                            "reference": transfer_reference(instalment),
                            "days": (today - instalment.due_date).days,
                        }
                        for instalment, _stage in items
                    ],
                )
        except IntegrityError:
            continue  # another run reminded these meanwhile
        sent += 1
    return sent
