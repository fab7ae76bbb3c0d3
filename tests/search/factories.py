from listings.models import Listing, ListingTerms
from tests.factories import ListingFactory, PatentFactory

AMOUNT_FIELD_OF_MODE = {"licence": "upfront_fee_fen", "transfer": "price_fen", "equity": "appraised_value_fen"}


def make_listing(seller, *, title, summary, number, ipc, mode="licence", amount=5_000_000, **patent) -> Listing:
    """A draft listing of one patent (its title and abstract are the listing's; `patent` has the rest) offering
    one mode for `amount` fen."""
    patent = PatentFactory(
        application_number=number,
        title=title,
        abstract=summary,
        first_claim="",
        ipc_codes=ipc,
        main_ipc=ipc[0],
        owners=[seller],
        **patent,
    )
    listing = ListingFactory(seller=seller, title=title, summary=summary, with_patent=patent)
    ListingTerms.objects.filter(listing=listing).update(
        mode=mode, licence_types=["ordinary"] if mode == "licence" else [], upfront_fee_fen=None
    )
    ListingTerms.objects.filter(listing=listing).update(**{AMOUNT_FIELD_OF_MODE[mode]: amount})
    return listing
