"""Reads of listings. Every selector that returns rows a person sees takes that person."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from listings.models import Listing, ListingAttachment, ListingStatus, ListingTerms, Patent
from listings.pricing import with_display_price
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of

# What anyone may open: listings on the market, and closed ones (their page stays, marked closed).
PUBLIC_STATES = (ListingStatus.PUBLISHED, ListingStatus.CLOSED)


def _with_related(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.select_related("seller", "centre").prefetch_related(
        Prefetch("patents", queryset=Patent.objects.order_by("listing_patents__position")),
        Prefetch("terms", queryset=ListingTerms.objects.order_by("mode")),
    )


def _visible(user, listing: str = "") -> Q:
    """The one rule of who sees a listing, for a query on listings (listing="") or on rows that belong to one
    (listing="listing__")."""
    scope = staff_scope(user)
    if scope.everything:
        return Q()
    condition = Q(**{f"{listing}status__in": PUBLIC_STATES})
    organisations = organisation_ids_of(user)
    if organisations:
        condition |= Q(**{f"{listing}seller_id__in": organisations})
    if scope.is_staff:
        condition |= scope.filter_q(f"{listing}centre_id")
    return condition


def listings_visible_to(user) -> QuerySet[Listing]:
    """Public listings for everyone; plus, for seller members, all of their organisation's listings; plus, for
    centre staff, everything hosted by their centre and the centres below it (root staff: everything)."""
    return _with_related(Listing.objects.filter(_visible(user)))


def attachments_visible_to(user) -> QuerySet[ListingAttachment]:
    """A listing's documents go to whoever may see the listing: the model has no private attachments, so a
    public listing's are public and a draft's are its seller's and its centre's."""
    return ListingAttachment.objects.filter(_visible(user, "listing__"))


def on_market(listing: str = "") -> Q:
    """The one rule of the market, for a query on listings (listing="") or on rows that belong to one
    (listing="listing__"): published. (Listing.is_on_market says the same of one listing.)"""
    return Q(**{f"{listing}status": ListingStatus.PUBLISHED})


def listings_on_market() -> QuerySet[Listing]:
    """The listings on the market, the same for everyone: what browse, search and its index, the open API, the
    sitemap and the home page show."""
    return _with_related(Listing.objects.filter(on_market()))


def listings_on_market_in_order(listing_ids: list[int], *, priced: bool = False) -> list[Listing]:
    """Those of the given listings still on the market, in the order of the ids (search hits, chosen listings);
    with priced=True each carries the price the cards show (listings.pricing)."""
    listings = listings_on_market()
    rows = (with_display_price(listings) if priced else listings).in_bulk(listing_ids)
    return [rows[listing_id] for listing_id in dict.fromkeys(listing_ids) if listing_id in rows]


def newest_listings_on_market(limit: int) -> list[Listing]:
    return list(listings_on_market().order_by("-published_at", "-pk")[:limit])


def listing_ids_not_on_market(listing_ids: list[int]) -> list[int]:
    """Those of the given listing numbers that are not on the market (to refuse them where only those may go)."""
    found = set(listings_on_market().filter(pk__in=listing_ids).values_list("pk", flat=True))
    return [listing_id for listing_id in dict.fromkeys(listing_ids) if listing_id not in found]


def listings_of_seller(user) -> QuerySet[Listing]:
    """The listings of the organisations the user belongs to (a seller's workspace)."""
    return _with_related(Listing.objects.filter(seller_id__in=organisation_ids_of(user))).order_by("-updated_at")


def moderation_queue(user) -> QuerySet[Listing]:
    """Submitted listings hosted by the broker's centre or below it, oldest first."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return Listing.objects.none()
    return _with_related(Listing.objects.filter(scope.filter_q("centre_id"), status=ListingStatus.SUBMITTED)).order_by(
        "submitted_at"
    )


def listings_hosted_for(user) -> QuerySet[Listing]:
    scope = staff_scope(user)
    if not scope.is_staff:
        return Listing.objects.none()
    return _with_related(Listing.objects.filter(scope.filter_q("centre_id")))


def patent_record_for(normalised_number: str, user) -> Patent | None:
    """The patent record a person may read under this number: a public one (published or granted by the office,
    or on a listing on the market), or one of their own organisations' (an applicant, or on their listing). An
    application not yet published is confidential: to anyone else the platform does not know the number."""
    today = timezone.localdate()
    own = organisation_ids_of(user)
    readable = (
        Q(publication_date__lte=today)
        | Q(grant_date__isnull=False)
        | Q(listing_patents__listing__in=listings_on_market())
        | Q(applicants__in=own)
        | Q(listing_patents__listing__seller__in=own)
    )
    found = Patent.objects.filter(readable, application_number=normalised_number).values_list("pk", flat=True)
    return Patent.objects.filter(pk__in=found[:1]).prefetch_related("applicants").first()
