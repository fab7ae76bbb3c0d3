"""Rounds, registrations and deposits made the way sellers, bidders and centre staff make them: through the
services, with deposits paid by a bank transfer that one broker records and a second confirms."""

from dataclasses import dataclass
from datetime import timedelta
from itertools import count

from django.utils import timezone

from auctions.models import AuctionRound, Deposit
from auctions.services import round_open
from payments.services import bank_transfer_confirm, bank_transfer_record
from tests.payments.factories import receipt

_references = count(1)


def round_opened(listing, actor, *, starts_in=timedelta(days=10), lasts=timedelta(hours=1), **terms) -> AuctionRound:
    now = timezone.now()
    fields = {
        "mode": "transfer",
        "start_price_fen": 100_000_000,  # ¥1,000,000
        "increment_fen": 5_000_000,  # ¥50,000
        "deposit_fen": 10_000_000,  # ¥100,000
        "bidding_starts_at": now + starts_in,
        "bidding_ends_at": now + starts_in + lasts,
        "extension_minutes": 5,
    }
    fields.update(terms)
    return round_open(listing=listing, actor=actor, **fields)


def bidding_started(round_: AuctionRound, *, left=timedelta(minutes=30)) -> AuctionRound:
    """Move the round's clock as if its announcement period had passed: bidding is on, `left` remaining."""
    now = timezone.now()
    ends = now + left
    AuctionRound.objects.filter(pk=round_.pk).update(
        bidding_starts_at=now - timedelta(minutes=1), bidding_ends_at=ends, ends_at=ends
    )
    round_.refresh_from_db()
    return round_


def bidding_ended(round_: AuctionRound) -> AuctionRound:
    past = timezone.now() - timedelta(seconds=1)
    AuctionRound.objects.filter(pk=round_.pk).update(
        bidding_starts_at=past - timedelta(hours=1), bidding_ends_at=past, ends_at=past
    )
    round_.refresh_from_db()
    return round_


def deposit_paid(deposit: Deposit, *, recorded_by, confirmed_by) -> Deposit:
    payment = bank_transfer_record(
        instalment=deposit.instalment,
        actor=recorded_by,
        payer=deposit.organisation.name,
        amount_fen=deposit.instalment.amount_fen,
        transferred_on=timezone.localdate(),
        bank_reference=f"BOC-DEP-{next(_references):05d}",
        evidence=receipt("保证金回单.pdf"),
    )
    bank_transfer_confirm(payment=payment, actor=confirmed_by)
    deposit.refresh_from_db()
    return deposit


@dataclass
class Hall:
    """A round on 宁波大学's listing with two qualified bidders and their signatories."""

    round: AuctionRound
    first: object  # 宁波甬新材料 (world.enterprise)
    first_user: object
    second: object  # a third firm
    second_user: object
    first_deposit: Deposit
    second_deposit: Deposit
