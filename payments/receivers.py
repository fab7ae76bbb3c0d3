"""Payments reacts to deals (a new deal gets its schedule; a signed contract with nothing fixed to pay settles) and
tells the buyer's people, live, what happened to their money."""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from deals.models import DealStatus
from deals.signals import deal_agreed, deal_status_changed
from marketplace.core.notifications import notify_user_on_commit
from marketplace.organisations.models import Membership
from payments.models import PaymentStatus
from payments.services import schedule_build, settle_if_all_fixed_paid
from payments.signals import payment_status_changed


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


@receiver(payment_status_changed, dispatch_uid="payments.notify_the_buyer")
def notify_the_buyer(sender, payment, from_status, to_status, actor, **kwargs):
    """The buyer hears of what staff (or the gateway, later) did to a payment; not of their own clicks."""
    notice = BUYER_NOTICES.get(to_status)
    if notice is None or from_status == "":
        return
    instalment = payment.instalment
    deal_id = instalment.deal_id
    with translation.override(settings.LANGUAGE_CODE):  # the buyer's language, not that of the broker who acted
        message = str(notice) % {
            "amount": f"{payment.amount_fen / 100:,.2f}",
            "deal": deal_id,
            "reason": payment.failure_message,
        }
    url = reverse("payments:deal", args=[deal_id])
    members = Membership.objects.filter(organisation_id=instalment.deal.buyer_id).values_list("user_id", flat=True)
    for user_id in members:
        if actor is None or user_id != actor.pk:
            notify_user_on_commit(user_id, {"message": message, "url": url})
