"""Reads of listings. Every selector that returns rows a person sees takes that person."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from listings.models import (
    ConfidentialDownload,
    Listing,
    ListingAttachment,
    ListingEvent,
    ListingStatus,
    ListingTerms,
    NdaAcceptance,
    Patent,
)
from listings.nda import NdaText, default_nda, seller_nda
from listings.patents.terms import RemainingTerm
from listings.pricing import AMOUNT_FIELD_OF_MODE, display_price_fen
from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.models import Organisation
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


# --- Confidential documents behind the listing's NDA --------------------------------------------------------


def nda_current(listing: Listing) -> NdaText:
    """The NDA the listing asks for now: the seller's latest own text, or the platform's default."""
    latest = listing.nda_versions.order_by("-version").first()
    if latest is None or not latest.text.strip():
        return default_nda()
    return seller_nda(latest.version, latest.text)


@dataclass(frozen=True)
class ConfidentialAccess:
    """Whether a person may open a listing's confidential documents, and why: "seller" (a member of the seller),
    "staff" (staff of the hosting centre or above it), "accepted" (a member of an organisation that accepted the
    current NDA text: acceptance is per organisation, on behalf of it, so one member's click covers colleagues);
    or refused ("" ) — anonymous, or nobody of the person's organisations accepted this version."""

    allowed: bool
    reason: str = ""
    organisation_id: int | None = None
    acceptance: NdaAcceptance | None = None


def confidential_access(user, listing: Listing, nda: NdaText | None = None) -> ConfidentialAccess:
    if not user.is_authenticated:
        return ConfidentialAccess(False)
    organisations = organisation_ids_of(user)
    if listing.seller_id in organisations:
        return ConfidentialAccess(True, "seller", listing.seller_id)
    if staff_scope(user).covers(listing.centre_id):
        return ConfidentialAccess(True, "staff")
    nda = nda or nda_current(listing)
    acceptance = (
        NdaAcceptance.objects.filter(listing=listing, organisation_id__in=organisations, text_sha256=nda.sha256)
        .order_by("accepted_at", "pk")
        .first()
    )
    if acceptance is None:
        return ConfidentialAccess(False)
    return ConfidentialAccess(True, "accepted", acceptance.organisation_id, acceptance)


def nda_organisations_of(user, listing: Listing) -> QuerySet[Organisation]:
    """The organisations on whose behalf the person may accept the listing's NDA: their own, except the seller."""
    return Organisation.objects.filter(pk__in=organisation_ids_of(user)).exclude(pk=listing.seller_id).order_by("name")


def _sees_confidential_records(user, listing: Listing) -> bool:
    return listing.seller_id in organisation_ids_of(user) or staff_scope(user).covers(listing.centre_id)


def nda_acceptances_of_listing(user, listing: Listing) -> QuerySet[NdaAcceptance]:
    """Who accepted the listing's NDA: for the seller's members and the hosting centre's staff, nobody else."""
    if not _sees_confidential_records(user, listing):
        return NdaAcceptance.objects.none()
    return NdaAcceptance.objects.filter(listing=listing).select_related("organisation", "user")


def confidential_downloads_of_listing(user, listing: Listing) -> QuerySet[ConfidentialDownload]:
    """Every download of the listing's confidential documents, newest first, for the same people."""
    if not _sees_confidential_records(user, listing):
        return ConfidentialDownload.objects.none()
    return ConfidentialDownload.objects.filter(attachment__listing=listing).select_related(
        "attachment", "organisation", "user"
    )


def on_market(listing: str = "") -> Q:
    """The one rule of the market, for a query on listings (listing="") or on rows that belong to one
    (listing="listing__"): published. (Listing.is_on_market says the same of one listing.)"""
    return Q(**{f"{listing}status": ListingStatus.PUBLISHED})


def listings_on_market() -> QuerySet[Listing]:
    """The listings on the market, the same for everyone: what the finder's cards, the search index, the open API, the
    sitemap and the home page show."""
    return _with_related(Listing.objects.filter(on_market()))


def listings_on_market_in_order(listing_ids: list[int]) -> list[Listing]:
    """Those of the given listings still on the market, in the order of the ids (chosen listings)."""
    rows = listings_on_market().in_bulk(listing_ids)
    return [rows[listing_id] for listing_id in dict.fromkeys(listing_ids) if listing_id in rows]


@dataclass(frozen=True)
class ListingCard:
    """What a listing's card in a list of results shows, read in full by `listing_cards` (a template that shows
    it touches no model and runs no query)."""

    pk: int
    url: str
    title: str
    summary: str
    title_en: str  # '' when the seller wrote no English version
    summary_en: str
    price_fen: int | None  # listings.pricing: None is "negotiable"
    mode_labels: tuple[str, ...]  # the open terms
    patent_count: int
    first_patent_type_label: str
    ipc_section: str  # of the first patent, '' when it has none
    has_pending_patent: bool
    longest_term: RemainingTerm | None
    seller_name: str
    seller_verified: bool
    seller_city_label: str
    patents: tuple[Patent, ...]  # in the listing's order; number, type, legal status and IPC codes only


_CARD_PATENT_FIELDS = ("id", "application_number", "patent_type", "legal_status", "filing_date", "main_ipc")
_CARD_TERMS_FIELDS = ("id", "listing_id", "mode", "is_open", *AMOUNT_FIELD_OF_MODE.values())


def _card_of(listing: Listing) -> ListingCard:
    patents = tuple(listing.patents.all())
    terms = [terms for terms in listing.terms.all() if terms.is_open]
    remaining = [patent.remaining_term() for patent in patents]
    return ListingCard(
        pk=listing.pk,
        url=listing.get_absolute_url(),
        title=listing.title,
        summary=listing.summary,
        title_en=listing.title_en,
        summary_en=listing.summary_en,
        price_fen=display_price_fen(listing),
        mode_labels=tuple(str(terms.get_mode_display()) for terms in terms),
        patent_count=len(patents),
        first_patent_type_label=str(patents[0].get_patent_type_display()) if patents else "",
        ipc_section=patents[0].ipc_section if patents else "",
        has_pending_patent=any(patent.is_pending for patent in patents),
        longest_term=max(remaining, key=lambda term: term.total_days, default=None),
        seller_name=listing.seller.name,
        seller_verified=listing.seller.verified,
        seller_city_label=str(listing.seller.get_city_display()),
        patents=patents,
    )


def listing_cards(listing_ids: list[int]) -> list[ListingCard]:
    """The cards of those of the given listings still on the market, in the order of the ids (search hits, the
    newest listings). Three queries whatever their number: the listings with their sellers, their patents, their
    terms; each with only the columns a card shows."""
    patents = Patent.objects.only(*_CARD_PATENT_FIELDS, "ipc_codes", "ipc_section").order_by(
        "listing_patents__position"
    )
    rows = (
        listings_on_market()
        .select_related(None)
        .prefetch_related(None)
        .select_related("seller")
        .only(
            "id",
            "title",
            "summary",
            "title_en",
            "summary_en",
            "asking_price_fen",
            "seller__name",
            "seller__verified",
            "seller__city",
        )
        .prefetch_related(
            Prefetch("patents", queryset=patents),
            Prefetch("terms", queryset=ListingTerms.objects.only(*_CARD_TERMS_FIELDS).order_by("mode")),
        )
        .in_bulk(listing_ids)
    )
    return [_card_of(rows[listing_id]) for listing_id in dict.fromkeys(listing_ids) if listing_id in rows]


def newest_listings_on_market(limit: int) -> list[Listing]:
    return list(listings_on_market().order_by("-published_at", "-pk")[:limit])


def listing_ids_not_on_market(listing_ids: list[int]) -> list[int]:
    """Those of the given listing numbers that are not on the market (to refuse them where only those may go)."""
    found = set(listings_on_market().filter(pk__in=listing_ids).values_list("pk", flat=True))
    return [listing_id for listing_id in dict.fromkeys(listing_ids) if listing_id not in found]


def listings_of_seller(user) -> QuerySet[Listing]:
    """The listings of the organisations the user belongs to (a seller's workspace)."""
    return _with_related(Listing.objects.filter(seller_id__in=organisation_ids_of(user))).order_by("-updated_at", "-pk")


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


# --- A person's copy of their data (marketplace.accounts.signals.personal_data_requested) ---------------------


def personal_data_sections(user) -> list[PersonalDataSection]:
    """The listings the person created, the documents uploaded to them, the status moves the person made, the NDAs
    they accepted and the confidential documents they downloaded (with the addresses recorded).
    Documents are listed with the address they are served from (to whoever may see the listing), not attached."""
    created = [
        {
            "id": listing.pk,
            "title": listing.title,
            "seller": listing.seller.name,
            "status": listing.get_status_display(),
            "created_at": listing.created_at,
            "published_at": listing.published_at,
        }
        for listing in Listing.objects.filter(created_by=user).select_related("seller").order_by("created_at", "pk")
    ]
    documents = [
        {
            "listing_id": attachment.listing_id,
            "listing": attachment.listing.title,
            "file_name": attachment.original_name,
            "content_type": attachment.content_type,
            "size_bytes": attachment.size,
            "uploaded_at": attachment.uploaded_at,
            "address": reverse("listings:attachment", args=[attachment.listing_id, attachment.pk]),
        }
        for attachment in ListingAttachment.objects.filter(listing__created_by=user)
        .select_related("listing")
        .order_by("uploaded_at", "pk")
    ]
    moves = [
        {
            "listing_id": event.listing_id,
            "listing": event.listing.title,
            "from_status": event.get_from_status_display(),
            "to_status": event.get_to_status_display(),
            "note": event.note,
            "at": event.created_at,
        }
        for event in ListingEvent.objects.filter(actor=user).select_related("listing").order_by("created_at", "pk")
    ]
    acceptances = [
        {
            "listing_id": acceptance.listing_id,
            "listing": acceptance.listing.title,
            "organisation": acceptance.organisation.name,
            "version": acceptance.version,
            "text_sha256": acceptance.text_sha256,
            "accepted_at": acceptance.accepted_at,
            "ip_address": acceptance.ip_address,
            "user_agent": acceptance.user_agent,
        }
        for acceptance in NdaAcceptance.objects.filter(user=user)
        .select_related("listing", "organisation")
        .order_by("accepted_at", "pk")
    ]
    downloads = [
        {
            "listing_id": download.attachment.listing_id,
            "file_name": download.attachment.original_name,
            "organisation": download.organisation.name if download.organisation else "",
            "downloaded_at": download.downloaded_at,
            "ip_address": download.ip_address,
            "user_agent": download.user_agent,
        }
        for download in ConfidentialDownload.objects.filter(user=user)
        .select_related("attachment", "organisation")
        .order_by("downloaded_at", "pk")
    ]
    return [
        PersonalDataSection("listings.created", _("Listings you created"), created),
        PersonalDataSection("listings.nda_acceptances", _("Non-disclosure agreements you accepted"), acceptances),
        PersonalDataSection("listings.confidential_downloads", _("Confidential documents you downloaded"), downloads),
        PersonalDataSection("listings.documents", _("Documents of the listings you created"), documents),
        PersonalDataSection("listings.status_changes", _("Listing status changes you made"), moves),
    ]
