"""What auctions listens to: its own deposits released (refunded by the task runner), payments (a deposit paid
qualifies its organisation to bid) and deals (a round's contract signed credits the winner's deposit to the
price; its deal withdrawn otherwise returns it)."""

from django.db import transaction

from auctions.signals import deposits_released
from deals.models import DealStatus
from deals.signals import deal_status_changed
from payments.signals import deposit_paid


def on_deposit_paid(sender, instalment, **kwargs) -> None:
    from auctions.services import deposit_mark_paid

    deposit_mark_paid(instalment_id=instalment.pk)


def on_deal_status_changed(sender, deal, from_status, to_status, **kwargs) -> None:
    from auctions.services import winner_deposit_credit, winner_deposit_release

    if to_status == DealStatus.CONTRACT_SIGNED:
        winner_deposit_credit(deal=deal)
    elif to_status == DealStatus.CANCELLED and from_status == DealStatus.AGREED:
        winner_deposit_release(deal=deal)


def on_deposits_released(sender, round, deposit_ids, **kwargs) -> None:
    from auctions.tasks import refund_deposit

    for deposit_id in deposit_ids:
        transaction.on_commit(lambda deposit_id=deposit_id: refund_deposit.enqueue(deposit_id=deposit_id), robust=True)


def connect() -> None:
    deposit_paid.connect(on_deposit_paid, dispatch_uid="auctions.on_deposit_paid")
    deal_status_changed.connect(on_deal_status_changed, dispatch_uid="auctions.on_deal_status_changed")
    deposits_released.connect(on_deposits_released, dispatch_uid="auctions.on_deposits_released")
