"""Reads of matches. The selectors that return rows a person sees take that person and apply visibility: a demand's
matches show only listings on the market; a listing's "firms that need this" go to its seller's members and the staff
of its centre (and the centres above it) only, and show only published demands."""

from django.conf import settings
from django.db.models import Prefetch

from demands.models import Demand, DemandStatus
from listings.models import Listing, ListingStatus, Patent
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of
from matching.models import Match, MatchNotice, MatchPreference
from matching.scoring import ListingText, best_of_families, normalise

# How many rows a page reads before putting families aside: enough for N families even when several of a family
# were stored by listings' own refreshes.
READ_AHEAD = 3


def listing_texts(listing_ids) -> list[ListingText]:
    """What matching reads of these listings, if they are on the market."""
    rows = (
        Listing.objects.filter(pk__in=list(listing_ids), status=ListingStatus.PUBLISHED)
        .select_related("seller")
        .prefetch_related(Prefetch("patents", queryset=Patent.objects.order_by("listing_patents__position")))
    )
    return [listing_text_of(listing) for listing in rows]


def listing_text_of(listing: Listing) -> ListingText:
    patents = list(listing.patents.all())
    parts = [listing.title, listing.summary, listing.application_fields, listing.comparison]
    for patent in patents:
        parts += [patent.title, patent.abstract]
    codes = [code for patent in patents for code in patent.ipc_codes]
    return ListingText(
        id=listing.pk,
        seller_id=listing.seller_id,
        city=listing.seller.city,
        title=listing.title,
        text=normalise("\n".join(part for part in parts if part)),
        ipc_codes=tuple(dict.fromkeys(codes)),
        application_numbers=tuple(patent.application_number for patent in patents),
    )


def match_preference_of(user) -> str:
    preference = MatchPreference.objects.filter(user=user).first() if user.is_authenticated else None
    return preference.frequency if preference else MatchPreference._meta.get_field("frequency").default


def demand_matches_visible_to(user, demand: Demand, *, limit: int | None = None) -> list[dict]:
    """ "Patents that may answer this need": the demand's best matches on the market, one per family of
    near-identical listings, best first. Anyone who may see the demand may see them (they are public listings)."""
    limit = limit or settings.MATCHING_TOP_N
    rows = list(
        Match.objects.filter(demand=demand, listing__status=ListingStatus.PUBLISHED)
        .select_related("listing__seller")
        .prefetch_related("listing__patents")
        .order_by("-score", "listing_id")[: limit * READ_AHEAD]
    )
    if rows:
        floor = rows[0].score * settings.MATCHING_RELATIVE_CUTOFF
        rows = [row for row in rows if row.score >= floor]
    texts = {row.listing_id: listing_text_of(row.listing) for row in rows}
    kept = best_of_families(rows, listing_of=lambda row: texts[row.listing_id])[:limit]
    return [
        {"match": row, "listing": row.listing, "similar": left_out + row.reasons.get("similar_listings", 0)}
        for row, left_out in kept
    ]


def may_see_listing_matches(user, listing: Listing) -> bool:
    """The seller's members and the staff of its hosting centre (or a centre above it)."""
    if not user.is_authenticated:
        return False
    if listing.seller_id in organisation_ids_of(user):
        return True
    scope = staff_scope(user)
    if scope.everything:
        return True
    return scope.is_staff and Listing.objects.filter(scope.filter_q("centre_id"), pk=listing.pk).exists()


def listing_matches_visible_to(user, listing: Listing, *, limit: int | None = None) -> list[Match]:
    """ "Firms that need this": published demands that fit the listing, best first; empty for anyone but its seller
    and its centre's staff."""
    if not may_see_listing_matches(user, listing):
        return []
    return list(
        Match.objects.filter(listing=listing, demand__status=DemandStatus.PUBLISHED)
        .select_related("demand__organisation")
        .order_by("-score", "demand_id")[: limit or settings.MATCHING_TOP_N]
    )


def recent_notices_of(user, *, limit: int = 10) -> list[MatchNotice]:
    """The person's newest match notices whose demand and listing are both still on the site (the workspace)."""
    return list(
        MatchNotice.objects.filter(
            user=user, demand__status=DemandStatus.PUBLISHED, listing__status=ListingStatus.PUBLISHED
        )
        .exclude(frequency="off")
        .select_related("demand", "listing")
        .order_by("-created_at", "-pk")[:limit]
    )
