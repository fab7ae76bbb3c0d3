"""Deals taken to completion through the deals services, as people do it, for the indicators tests.

Payments are announced with stand-ins that have only a pk: the indicators receivers read nothing else.
"""

import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from deals.models import Deal
from deals.services.deals import deal_cancel, deal_mark_settled, deal_register, deal_sign
from deals.services.negotiations import negotiation_open, offer_accept, offer_propose
from listings.models import Listing, ListingStatus, ListingTerms
from listings.services import listing_set_status
from payments.signals import payment_received, payment_refunded
from tests.factories import ListingFactory, PatentFactory

ORDINARY_LICENCE = {
    "licence_type": "ordinary",
    "territory": "中国大陆",
    "field_of_use": "动力电池",
    "term_years": 5,
    "upfront_fee_fen": 50_000_000,
    "payment_mode": "fixed",
}
TRANSFER = {"price_fen": 180_000_000}
_serial = itertools.count(1)


@dataclass(frozen=True)
class FakePayment:
    pk: int


@dataclass(frozen=True)
class FakeRefund:
    pk: int


def published_listing(world, *, ipc: str = "H01M 4/525", seller=None, seller_user=None, broker=None) -> Listing:
    """A listing of one patent offering an ordinary licence and a transfer (by default 宁波大学's, at Ningbo)."""
    seller = seller or world.university
    patent = PatentFactory(owners=[seller], main_ipc=ipc, ipc_codes=[ipc])
    listing = ListingFactory(seller=seller, with_patent=patent)
    ListingTerms.objects.filter(listing=listing, mode="licence").update(licence_types=["ordinary"])
    ListingTerms.objects.create(listing=listing, mode="transfer", price_fen=200_000_000)
    listing_set_status(listing=listing, to_status=ListingStatus.SUBMITTED, actor=seller_user or world.seller)
    return listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=broker or world.root_staff)


def agreed(world, listing: Listing, mode: str = "licence", *, buyer_user=None, buyer=None, seller_user=None) -> Deal:
    buyer_user, buyer = buyer_user or world.buyer, buyer or world.enterprise
    negotiation = negotiation_open(listing=listing, mode=mode, actor=buyer_user, buyer=buyer)
    terms = ORDINARY_LICENCE if mode == "licence" else TRANSFER
    offer = offer_propose(negotiation=negotiation, actor=seller_user or world.seller, terms=terms)
    return offer_accept(offer=offer, actor=buyer_user)


def complete(
    world,
    deal: Deal,
    *,
    total: int = 50_000_000,
    technology: int = 48_000_000,
    buyer_user=None,
    seller_user=None,
    broker=None,
) -> Deal:
    """Sign, register and settle: the deal completes (and deals announces deal_completed)."""
    deal_sign(deal=deal, actor=buyer_user or world.buyer)
    deal_sign(deal=deal, actor=seller_user or world.seller)
    deal_register(
        deal=deal,
        actor=broker or world.root_staff,
        number=f"330201-2026-{next(_serial):06d}",
        registered_on=timezone.localdate(),
        contract_type="licensing" if deal.mode == "licence" else "transfer",
        contract_total_fen=total,
        technology_amount_fen=technology,
    )
    deal_mark_settled(deal=deal)
    deal.refresh_from_db()
    return deal


def completed_deal(world, mode: str = "licence", *, total: int = 50_000_000, technology: int = 48_000_000, **kw):
    listing = published_listing(world, **{key: kw[key] for key in ("ipc", "seller", "seller_user") if key in kw})
    deal = agreed(world, listing, mode, **{key: kw[key] for key in ("buyer_user", "buyer", "seller_user") if key in kw})
    return complete(
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
