"""Negotiations and deals built the way people make them: through the deals services, so every check, signal and
receiver runs (payments builds the schedule when a deal is agreed, indicators book it when it completes).

Each builder takes the test world (tests/conftest.py) for the people it is not given: the buyer is the world's
enterprise and its member, the seller the university's member, the broker the root centre's staff. Pass
world=None and name them all where there is no world (tests/payments/scenario.py).
"""

import itertools

from django.utils import timezone

from deals.models import Deal, Negotiation
from deals.services.deals import deal_mark_settled, deal_register, deal_sign
from deals.services.negotiations import negotiation_open, offer_accept, offer_propose

LICENCE_TERMS = {
    "licence_type": "exclusive",
    "territory": "中国大陆",
    "field_of_use": "动力电池",
    "term_years": 5,
    "upfront_fee_fen": 50_000_000,
    "payment_mode": "fixed",
}
ORDINARY_LICENCE_TERMS = {**LICENCE_TERMS, "licence_type": "ordinary"}
TRANSFER_TERMS = {"price_fen": 180_000_000}
EQUITY_TERMS = {"appraised_value_fen": 300_000_000, "share_percent": "15", "receiving_company": "宁波甬新储能有限公司"}
TERMS_OF_MODE = {"licence": LICENCE_TERMS, "transfer": TRANSFER_TERMS, "equity": EQUITY_TERMS}

_registration_numbers = itertools.count(1)


def negotiation_opened(
    world, listing, mode: str = "licence", *, buyer_user=None, buyer=None, message=""
) -> Negotiation:
    return negotiation_open(
        listing=listing,
        mode=mode,
        actor=buyer_user or world.buyer,
        buyer=buyer or world.enterprise,
        message=message,
    )


def deal_agreed(
    world, listing, mode: str = "licence", *, terms=None, buyer_user=None, buyer=None, seller_user=None
) -> Deal:
    """The buyer enquires, the seller proposes `terms` (those of TERMS_OF_MODE by default), the buyer accepts."""
    buyer_user = buyer_user or world.buyer
    negotiation = negotiation_opened(world, listing, mode, buyer_user=buyer_user, buyer=buyer)
    offer = offer_propose(
        negotiation=negotiation, actor=seller_user or world.seller, terms=terms or TERMS_OF_MODE[mode]
    )
    return offer_accept(offer=offer, actor=buyer_user)


def sign_contract(world, deal: Deal, *, buyer_user=None, seller_user=None) -> Deal:
    """Both parties sign: the contract is signed and payments' schedule falls due."""
    deal_sign(deal=deal, actor=buyer_user or world.buyer)
    deal_sign(deal=deal, actor=seller_user or world.seller)
    deal.refresh_from_db()
    return deal


def deal_signed(
    world, listing, mode: str = "licence", *, terms=None, buyer_user=None, buyer=None, seller_user=None
) -> Deal:
    deal = deal_agreed(world, listing, mode, terms=terms, buyer_user=buyer_user, buyer=buyer, seller_user=seller_user)
    return sign_contract(world, deal, buyer_user=buyer_user, seller_user=seller_user)


def register_contract(
    world,
    deal: Deal,
    *,
    total: int = 50_000_000,
    technology: int = 48_000_000,
    number: str | None = None,
    registered_on=None,
    broker=None,
) -> Deal:
    """A broker records the technology-contract registration (a fresh number unless one is given)."""
    return deal_register(
        deal=deal,
        actor=broker or world.root_staff,
        number=number or f"330201-2026-{next(_registration_numbers):06d}",
        registered_on=registered_on or timezone.localdate(),
        contract_type="licensing" if deal.mode == "licence" else "transfer",
        contract_total_fen=total,
        technology_amount_fen=technology,
    )


def complete_deal(
    world,
    deal: Deal,
    *,
    total: int = 50_000_000,
    technology: int = 48_000_000,
    number: str | None = None,
    broker=None,
    buyer_user=None,
    seller_user=None,
) -> Deal:
    """Sign, register and settle an agreed deal: it completes (and deals announces deal_completed)."""
    sign_contract(world, deal, buyer_user=buyer_user, seller_user=seller_user)
    register_contract(world, deal, total=total, technology=technology, number=number, broker=broker)
    deal_mark_settled(deal=deal)
    deal.refresh_from_db()
    return deal
