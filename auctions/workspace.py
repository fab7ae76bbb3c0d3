"""The auctions panel of "My workspace": a bidder's registrations (with the deposit to pay), a seller's rounds and
the listings it may put up for bidding, and the rounds of a staff member's centres."""

from auctions.models import AuctionRound, Deposit, RoundStatus
from listings.models import Listing, ListingStatus
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of

SHOWN = 5


def auctions_panel_context(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    organisations = organisation_ids_of(user)
    scope = staff_scope(user)
    registrations = list(
        Deposit.objects.filter(organisation_id__in=organisations)
        .select_related("round__listing", "organisation")
        .order_by("-round__ends_at")[:SHOWN]
    )
    own_rounds = list(
        AuctionRound.objects.filter(listing__seller_id__in=organisations)
        .select_related("listing")
        .order_by("-created_at")[:SHOWN]
    )
    may_auction = list(
        Listing.objects.filter(seller_id__in=organisations, status=ListingStatus.PUBLISHED)
        .exclude(auction_rounds__status=RoundStatus.OPEN)
        .order_by("-pk")[:SHOWN]
    )
    centre_rounds = (
        list(
            AuctionRound.objects.filter(scope.filter_q("centre_id"))
            .select_related("listing")
            .order_by("-created_at")[:SHOWN]
        )
        if scope.is_staff
        else []
    )
    if not (registrations or own_rounds or may_auction or centre_rounds):
        return None
    return {
        "registrations": registrations,
        "own_rounds": own_rounds,
        "may_auction": may_auction,
        "centre_rounds": centre_rounds,
    }
