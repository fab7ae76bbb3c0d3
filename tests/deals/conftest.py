import pytest

from listings.models import ListingStatus, ListingTerms
from listings.services import listing_set_status
from tests.factories import ListingFactory, PatentFactory


@pytest.fixture
def on_market(world):
    """A published listing of 宁波大学 (hosted by Ningbo) offering every mode, with express ordinary terms."""
    patent = PatentFactory(owners=[world.university])
    listing = ListingFactory(seller=world.university, with_patent=patent, created_by=world.seller)
    ListingTerms.objects.filter(listing=listing, mode="licence").update(
        licence_types=["exclusive", "sole", "ordinary"], upfront_fee_fen=10_000_000, term_years=5, express_ordinary=True
    )
    ListingTerms.objects.create(listing=listing, mode="transfer", price_fen=200_000_000)
    ListingTerms.objects.create(listing=listing, mode="equity", appraised_value_fen=300_000_000)
    listing_set_status(listing=listing, to_status=ListingStatus.SUBMITTED, actor=world.seller)
    return listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)


LICENCE_TERMS = {
    "licence_type": "exclusive",
    "territory": "中国大陆",
    "field_of_use": "动力电池",
    "term_years": 5,
    "upfront_fee_fen": 50_000_000,
    "payment_mode": "fixed",
}
