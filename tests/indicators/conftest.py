"""Deals taken to completion through the deals services, as people do it, for the indicators tests.

Payments are announced with stand-ins that have only a pk: the indicators receivers read nothing else.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from deals.models import Deal
from deals.services.deals import deal_cancel
from listings.models import Listing
from payments.signals import payment_received, payment_refunded
from tests.deals.factories import ORDINARY_LICENCE_TERMS, TRANSFER_TERMS, complete_deal, deal_agreed
from tests.factories import PatentFactory, listing_on_market


@dataclass(frozen=True)
class FakePayment:
    pk: int


@dataclass(frozen=True)
class FakeRefund:
    pk: int


def published_listing(world, *, ipc: str = "H01M 4/525", seller=None, seller_user=None, broker=None) -> Listing:
    """A listing of one patent offering an ordinary licence and a transfer (by default 宁波大学's, at Ningbo)."""
    seller = seller or world.university
    return listing_on_market(
        seller=seller,
        seller_user=seller_user or world.seller,
        broker=broker or world.root_staff,
        patent=PatentFactory(owners=[seller], main_ipc=ipc, ipc_codes=[ipc]),
        licence={"licence_types": ["ordinary"]},
        terms=[{"mode": "transfer", "price_fen": 200_000_000}],
    )


def agreed(world, listing: Listing, mode: str = "licence", **people) -> Deal:
    """An ordinary licence (the listings here offer no other) or a transfer, agreed."""
    terms = ORDINARY_LICENCE_TERMS if mode == "licence" else TRANSFER_TERMS
    return deal_agreed(world, listing, mode, terms=terms, **people)


def completed_deal(world, mode: str = "licence", *, total: int = 50_000_000, technology: int = 48_000_000, **kw):
    listing = published_listing(world, **{key: kw[key] for key in ("ipc", "seller", "seller_user") if key in kw})
    deal = agreed(world, listing, mode, **{key: kw[key] for key in ("buyer_user", "buyer", "seller_user") if key in kw})
    return complete_deal(
        world,
        deal,
        total=total,
        technology=technology,
        **{key: kw[key] for key in ("buyer_user", "seller_user") if key in kw},
    )


def cancel(world, deal: Deal, reason: str = "合同解除") -> Deal:
    deal_cancel(deal=deal, actor=world.root_staff, reason=reason)
    deal.refresh_from_db()
    return deal


def pay(deal: Deal, payment_id: int, amount_fen: int, kind: str = "upfront", on: date | None = None) -> None:
    payment_received.send(
        sender=FakePayment,
        payment=FakePayment(pk=payment_id),
        deal=deal,
        amount_fen=amount_fen,
        kind=kind,
        received_on=on or timezone.localdate(),
    )


def refund(deal: Deal, refund_id: int, amount_fen: int, kind: str = "upfront", on: date | None = None) -> None:
    payment_refunded.send(
        sender=FakeRefund,
        refund=FakeRefund(pk=refund_id),
        deal=deal,
        amount_fen=amount_fen,
        kind=kind,
        refunded_on=on or timezone.localdate(),
    )


@pytest.fixture
def licence_deal(world) -> Deal:
    """An ordinary licence of 宁波大学 (Ningbo), completed for 50万元 with 48万元 of technology."""
    return completed_deal(world, "licence")


@pytest.fixture
def deals(world):
    """A licence of 宁波大学 (50万元, field H) with 20万元 received, and a transfer (180万元, field G), at Ningbo."""
    licence = completed_deal(world, "licence", total=50_000_000, technology=48_000_000)
    transfer = completed_deal(world, "transfer", total=180_000_000, technology=150_000_000, ipc="G06F 16/33")
    pay(licence, 1, 20_000_000)
    return licence, transfer


# This year's province-wide targets, set by the platform (a year without one shows none).
TURNOVER_TARGET_FEN = 1_000_000_000  # 1,000万元
LICENSING_TARGET_FEN = 200_000_000  # 200万元


@pytest.fixture
def targets_this_year():
    from indicators.models import Indicator
    from indicators.services import target_set

    year = timezone.localdate().year
    return (
        target_set(indicator=Indicator.TURNOVER, year=year, amount_fen=TURNOVER_TARGET_FEN),
        target_set(indicator=Indicator.LICENSING_CONTRACTED, year=year, amount_fen=LICENSING_TARGET_FEN),
    )
