"""Payments reacts to deals: a new deal gets its schedule; a signed contract with nothing fixed to pay settles."""

from django.dispatch import receiver

from deals.models import DealStatus
from deals.signals import deal_agreed, deal_status_changed
from payments.services import schedule_build, settle_if_all_fixed_paid


@receiver(deal_agreed, dispatch_uid="payments.schedule_on_deal_agreed")
def build_schedule(sender, deal, **kwargs):
    schedule_build(deal=deal)


@receiver(deal_status_changed, dispatch_uid="payments.settle_when_nothing_is_due")
def settle_when_nothing_is_due(sender, deal, from_status, to_status, **kwargs):
    if to_status == DealStatus.CONTRACT_SIGNED:
        settle_if_all_fixed_paid(deal)
