"""Payments reacts to deals (a new deal gets its schedule; a signed contract with nothing fixed to pay settles) and
tells the buyer's people, live, what happened to their money. It plays its part in a person's rights over their
data (marketplace.accounts.signals): their payment records in the copy of their data; when their account closes,
the cards they saved are retired and forgotten at the gateway, and every payment, transfer and refund is kept (the
law on accounting requires it) under the name of a closed account."""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from deals.models import DealStatus
from deals.signals import deal_agreed, deal_status_changed
from marketplace.accounts.signals import account_closing, personal_data_requested
from marketplace.core.notifications import notify_user_on_commit
from marketplace.organisations.models import Membership
from payments.models import PaymentStatus
from payments.selectors import personal_data_sections
from payments.services import saved_cards_retire, schedule_build, settle_if_all_fixed_paid
from payments.signals import auto_pay_failed, instalments_overdue, payment_status_changed
from payments.tasks import forget_cards_at_gateway, mail_auto_pay_failed, mail_overdue_reminder


@receiver(deal_agreed, dispatch_uid="payments.schedule_on_deal_agreed")
def build_schedule(sender, deal, **kwargs):
    schedule_build(deal=deal)


@receiver(deal_status_changed, dispatch_uid="payments.settle_when_nothing_is_due")
def settle_when_nothing_is_due(sender, deal, from_status, to_status, **kwargs):
    if to_status == DealStatus.CONTRACT_SIGNED:
        settle_if_all_fixed_paid(deal)


# What the buyer's people hear, live, when a broker acts on their money (status → message).
BUYER_NOTICES = {
    PaymentStatus.AWAITING_CONFIRMATION: _("Your bank transfer of %(amount)s yuan for deal #%(deal)s is recorded."),
    PaymentStatus.SUCCEEDED: _("Your payment of %(amount)s yuan for deal #%(deal)s is received."),
    PaymentStatus.FAILED: _("Your payment of %(amount)s yuan for deal #%(deal)s did not go through: %(reason)s"),
    PaymentStatus.SURPLUS: _(
        "A payment of %(amount)s yuan for deal #%(deal)s arrived for an amount already paid: a broker refunds it."
    ),
}


DEPOSIT_NOTICES = {
    PaymentStatus.AWAITING_CONFIRMATION: _(
        "Your bank transfer of %(amount)s yuan for the deposit %(label)s is recorded."
    ),
    PaymentStatus.SUCCEEDED: _("Your deposit of %(amount)s yuan for %(label)s is received."),
    PaymentStatus.FAILED: _("Your deposit of %(amount)s yuan for %(label)s did not go through: %(reason)s"),
    PaymentStatus.SURPLUS: _(
        "A payment of %(amount)s yuan for the deposit %(label)s arrived for an amount already paid: it is refunded."
    ),
}


@receiver(payment_status_changed, dispatch_uid="payments.notify_the_buyer")
def notify_the_buyer(sender, payment, from_status, to_status, actor, **kwargs):
    """The buyer hears of what staff (or the gateway, later) did to a payment; not of their own clicks."""
    notice = BUYER_NOTICES.get(to_status)
    if notice is None or from_status == "":
        return
    instalment = payment.instalment
    deal_id = instalment.deal_id
    if deal_id is None:
        # An auction deposit: its pages are the auction's (another app); the bidder hears of it without a link.
        notice = DEPOSIT_NOTICES.get(to_status)
        if notice is None:
            return
    with translation.override(settings.LANGUAGE_CODE):  # the buyer's language, not that of the broker who acted
        message = str(notice) % {
            "amount": f"{payment.amount_fen / 100:,.2f}",
            "deal": deal_id,
            "label": instalment.label or instalment.reference,
            "reason": payment.failure_message,
        }
    url = reverse("payments:deal", args=[deal_id]) if deal_id is not None else ""
    members = Membership.objects.filter(organisation_id=instalment.payer_organisation_id).values_list(
        "user_id", flat=True
    )
    for user_id in members:
        if actor is None or user_id != actor.pk:
            notify_user_on_commit(user_id, {"message": message, "url": url})


@receiver(personal_data_requested, dispatch_uid="payments.personal_data")
def personal_data(sender, user, **kwargs):
    return personal_data_sections(user)


@receiver(account_closing, dispatch_uid="payments.retire_cards_on_account_closing")
def retire_saved_cards(sender, user, **kwargs) -> None:
    card_ids = saved_cards_retire(user=user)
    if card_ids:
        # The gateway is called by the runner once the closing has committed, never inside its transaction.
        transaction.on_commit(lambda: forget_cards_at_gateway.enqueue(card_ids=card_ids), robust=True)


@receiver(auto_pay_failed, dispatch_uid="payments.mail_auto_pay_failed")
def mail_on_auto_pay_failed(sender, instalment, card, reason, **kwargs) -> None:
    mail_auto_pay_failed.enqueue(instalment_id=instalment.pk, card_id=card.pk, reason=reason)


@receiver(instalments_overdue, dispatch_uid="payments.mail_overdue_reminder")
def mail_on_instalments_overdue(sender, overdue, **kwargs) -> None:
    mail_overdue_reminder.enqueue(overdue=overdue)
