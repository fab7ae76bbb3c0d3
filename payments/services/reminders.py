"""Chasing what is due: automatic card payments on the due date for buyers who opted in, and reminder mails for
overdue instalments. Both run daily on the task runner and are idempotent."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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


def _mail_buyer(instalment: Instalment, template: str, subject: str, **context) -> None:
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
        send_mail(str(subject), body, None, recipients)


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
            reason = " ".join(getattr(error, "messages", [str(error)]))
            logger.info("Automatic payment of instalment %s not made: %s", instalment.pk, reason)
            _mail_buyer(
                instalment,
                "payments/auto_pay_failed_email.txt",
                _("Automatic payment failed: %(amount)s yuan for deal #%(deal)s")
                % {"amount": yuan(instalment.amount_fen), "deal": instalment.deal_id},
                reason=reason,
                card=card,
            )
            continue
        started += int(created)
    return started


def overdue_reminders_send(*, today: date | None = None) -> int:
    """Remind the buyer's people of each overdue instalment at 1, 7 and 30 days, once per stage. The reminder
    row is written before the mail is queued, in one transaction: a second run finds it and sends nothing."""
    today = today or timezone.localdate()
    sent = 0
    for instalment in _due_and_payable().filter(due_date__lt=today).order_by("due_date", "pk"):
        days = (today - instalment.due_date).days
        stages = [stage for stage in REMINDER_STAGES if stage <= days]
        if not stages:
            continue
        stage = stages[-1]
        try:
            with transaction.atomic():
                InstalmentReminder.objects.create(instalment=instalment, days_overdue=stage)
                _mail_buyer(
                    instalment,
                    "payments/overdue_email.txt",
                    _("Payment overdue: %(amount)s yuan for deal #%(deal)s, due %(due)s")
                    % {"amount": yuan(instalment.amount_fen), "deal": instalment.deal_id, "due": instalment.due_date},
                    days_overdue=days,
                )
        except IntegrityError:
            continue  # this stage was reminded already
        sent += 1
    return sent
