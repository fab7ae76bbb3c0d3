import pytest

from tests.factories import listing_on_market


@pytest.fixture
def on_market(world):
    """A published listing of 宁波大学 (hosted by Ningbo) offering every mode, with express ordinary terms."""
    return listing_on_market(
        seller=world.university,
        seller_user=world.seller,
        broker=world.ningbo_broker,
        licence={
            "licence_types": ["exclusive", "sole", "ordinary"],
            "upfront_fee_fen": 10_000_000,
            "term_years": 5,
            "express_ordinary": True,
        },
        terms=[{"mode": "transfer", "price_fen": 200_000_000}, {"mode": "equity", "appraised_value_fen": 300_000_000}],
    )
