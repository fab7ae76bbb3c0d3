"""A database worth fuzzing: published, indexed listings and completed deals booked in the indicators ledger."""

import pytest
from django.utils import timezone

from deals.services.deals import deal_mark_settled, deal_register, deal_sign
from deals.services.negotiations import negotiation_open, offer_accept, offer_propose
from listings.models import ListingStatus, ListingTerms
from listings.selectors import listings_on_market
from listings.services import listing_set_status
from tests.factories import ListingFactory, PatentFactory


def _publish(world, *, title: str, ipc: str, seller=None, seller_user=None, transfer_price_fen: int | None = None):
    seller = seller or world.university
    patent = PatentFactory(owners=[seller], title=f"一种{title}的制备方法", main_ipc=ipc, ipc_codes=[ipc])
    listing = ListingFactory(seller=seller, with_patent=patent, title=title)
    if transfer_price_fen:
        ListingTerms.objects.create(listing=listing, mode="transfer", price_fen=transfer_price_fen)
    listing_set_status(listing=listing, to_status=ListingStatus.SUBMITTED, actor=seller_user or world.seller)
    return listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.root_staff)


def _complete(world, listing, mode: str, terms: dict, *, total: int, technology: int, number: str):
    negotiation = negotiation_open(listing=listing, mode=mode, actor=world.buyer, buyer=world.enterprise)
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=terms)
    deal = offer_accept(offer=offer, actor=world.buyer)
    deal_sign(deal=deal, actor=world.buyer)
    deal_sign(deal=deal, actor=world.seller)
    deal_register(
        deal=deal,
        actor=world.root_staff,
        number=number,
        registered_on=timezone.localdate(),
        contract_type="licensing" if mode == "licence" else "transfer",
        contract_total_fen=total,
        technology_amount_fen=technology,
    )
    return deal_mark_settled(deal=deal)


@pytest.fixture
def marketplace_data(world, django_capture_on_commit_callbacks):
    """Published, indexed listings of several kinds, and two completed deals booked in the indicators ledger."""
    from search import get_search_backend

    get_search_backend().reset_index()
    with django_capture_on_commit_callbacks(execute=True):
        battery = _publish(world, title="高能量密度锂电池正极材料", ipc="H01M 4/525", transfer_price_fen=200_000_000)
        _publish(
            world, title="石墨烯散热涂层", ipc="C09D 5/00", seller=world.other_enterprise, seller_user=world.outsider
        )
        _publish(world, title="智能水稻插秧机", ipc="A01C 11/02")
        _complete(
            world,
            battery,
            "licence",
            {
                "licence_type": "ordinary",
                "territory": "中国大陆",
                "field_of_use": "动力电池",
                "term_years": 5,
                "upfront_fee_fen": 50_000_000,
                "payment_mode": "fixed",
            },
            total=50_000_000,
            technology=48_000_000,
            number="330201-2026-000001",
        )
        other = _publish(world, title="固态电解质薄膜", ipc="H01M 10/0562", transfer_price_fen=180_000_000)
        _complete(
            world,
            other,
            "transfer",
            {"price_fen": 180_000_000},
            total=180_000_000,
            technology=170_000_000,
            number="330201-2026-000002",
        )
    return world


def listing_ids_on_market() -> list[int]:
    return list(listings_on_market().order_by("pk").values_list("pk", flat=True))
