"""A database worth fuzzing: published, indexed listings and completed deals booked in the indicators ledger."""

import pytest

from listings.selectors import listings_on_market
from tests.deals.factories import ORDINARY_LICENCE_TERMS, complete_deal, deal_agreed
from tests.factories import PatentFactory, listing_on_market


def _publish(world, *, title: str, ipc: str, seller=None, seller_user=None, transfer_price_fen: int | None = None):
    seller = seller or world.university
    return listing_on_market(
        seller=seller,
        seller_user=seller_user or world.seller,
        broker=world.root_staff,
        patent=PatentFactory(owners=[seller], title=f"一种{title}的制备方法", main_ipc=ipc, ipc_codes=[ipc]),
        terms=[{"mode": "transfer", "price_fen": transfer_price_fen}] if transfer_price_fen else [],
        title=title,
    )


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
        complete_deal(
            world,
            deal_agreed(world, battery, terms=ORDINARY_LICENCE_TERMS),
            total=50_000_000,
            technology=48_000_000,
            number="330201-2026-000001",
        )
        other = _publish(world, title="固态电解质薄膜", ipc="H01M 10/0562", transfer_price_fen=180_000_000)
        complete_deal(
            world,
            deal_agreed(world, other, "transfer", terms={"price_fen": 180_000_000}),
            total=180_000_000,
            technology=170_000_000,
            number="330201-2026-000002",
        )
    return world


def listing_ids_on_market() -> list[int]:
    return list(listings_on_market().order_by("pk").values_list("pk", flat=True))
