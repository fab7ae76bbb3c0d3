"""Background tasks of the payments app, run by the task runner on the schedule in settings.PERIODIC_TASKS.
Each is idempotent."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from marketplace.background.mail import mail_queue
from marketplace.organisations.models import Membership
from payments.models import Instalment, InstalmentStatus, SavedCard
from payments.services import (
    instalments_charge_automatically,
    overdue_reminders_send,
    payments_reconcile_report,
    saved_cards_forget_at_gateway,
)
from payments.services.common import yuan
from payments.services.transfers import collection_account_for, transfer_reference

AUTO_PAY_FAILED_SUBJECT = gettext_lazy("Automatic payment failed: %(amount)s yuan for deal #%(deal)s")
OVERDUE_SUBJECT = gettext_lazy("Payment overdue: %(amount)s yuan for deal #%(deal)s, due %(due)s")


@task
def reconcile_payments() -> dict:
    """Every few minutes: settle open attempts and refunds to the gateway's truth, record stray charges. The
    report is kept as the task's result, which the admin shows beside the periodic job."""
    return payments_reconcile_report(compare=False).as_dict()


@task
def compare_payments_with_gateway() -> dict:
    """Nightly: the same, and every card payment of the last 30 days compared with the gateway's record."""
    return payments_reconcile_report().as_dict()


@task
def charge_instalments_due() -> int:
    return instalments_charge_automatically()


@task
def remind_overdue_instalments() -> int:
    return overdue_reminders_send()


@task
def forget_cards_at_gateway(card_ids: list[int]) -> None:
    """After an account closed: the gateway forgets the cards its owner had saved."""
    saved_cards_forget_at_gateway(card_ids=card_ids)


@task
def mail_auto_pay_failed(*, instalment_id: int, card_id: int, reason: str) -> None:
    """Tell the buyer's people that the automatic charge of an instalment did not go through, and why."""
    instalment = Instalment.objects.select_related("deal", "deal__listing").get(pk=instalment_id)
    _mail_buyer(
        instalment,
        "payments/auto_pay_failed_email.txt",
        AUTO_PAY_FAILED_SUBJECT,
        {"amount": yuan(instalment.amount_fen), "deal": instalment.deal_id},
        reason=reason,
        card=SavedCard.objects.get(pk=card_id),
    )


@task
def mail_overdue_reminder(*, overdue: list[list[int]]) -> None:
    """Remind the buyer's people of one deal's overdue instalments, given as [instalment id, days overdue]
    pairs. One paid since the reminder was recorded is left out; if all are, no mail goes."""
    days_by_id = dict(overdue)
    instalments = list(
        Instalment.objects.filter(pk__in=days_by_id, status=InstalmentStatus.DUE)
        .select_related("deal", "deal__listing")
        .order_by("due_date", "pk")
    )
    if not instalments:
        return
    first = instalments[0]
    _mail_buyer(
        first,
        "payments/overdue_email.txt",
        OVERDUE_SUBJECT,
        {
            "amount": yuan(sum(instalment.amount_fen for instalment in instalments)),
            "deal": first.deal_id,
            "due": first.due_date,
        },
        overdue=[
            {
                "instalment": instalment,
                "amount": yuan(instalment.amount_fen),
                "reference": transfer_reference(instalment),
                "days": days_by_id[instalment.pk],
            }
            for instalment in instalments
        ],
    )


def _mail_buyer(instalment: Instalment, template: str, subject, subject_args: dict, **context) -> None:
    """Mail the buyer's people in the site's language (the subject is a lazy translation, filled in there)."""
    emails = Membership.objects.filter(
        organisation_id=instalment.payer_organisation_id, user__is_active=True
    ).values_list("user__email", flat=True)
    recipients = sorted({email for email in emails if email})
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
                "payments_url": settings.SITE_URL.rstrip("/") + reverse("payments:deal", args=[instalment.deal_id]),
                "platform_name": settings.PLATFORM_NAME,
                **context,
            },
        )
        mail_queue(EmailMessage(" ".join((str(subject) % subject_args).split()), body, to=recipients))
