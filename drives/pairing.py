"""Which listings each firm of a drive receives, and why: the preview staff read before sending, and the pairs
sending writes. Reads only.

For every firm the targets select and every listing the drive chose, a score says how well they fit, from what
the platform knows of the firm: its technology demands (an IPC class of the listing's patents under one the demand
names scores most, then the demand's field), the fields of listings it enquired on, and its city. Each firm gets
its best `listings_per_firm`; a listing the firm already received in any drive, its own listing, and one it is
already negotiating on are left out.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from deals.models import Deal, Negotiation
from demands.models import Demand, DemandStatus
from drives.criteria import ListingCriteria, TargetCriteria
from drives.models import MAX_LISTINGS_PER_DRIVE, Drive, DrivePair, PairReason
from listings.ipc_sections import ipc_section_title
from listings.models import Listing, ListingPatent
from listings.selectors import listings_on_market
from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import StaffScope, descendant_ids
from marketplace.organisations.models import Organisation, OrganisationKind

SCORES = {
    PairReason.DEMAND_IPC: 4,
    PairReason.DEMAND_FIELD: 3,
    PairReason.ENQUIRED_FIELD: 2,
    PairReason.SAME_CITY: 1,
    PairReason.CHOSEN: 0,
}
# A demand that stays with its organisation (a draft) tells nothing about what the firm has said it needs.
SPOKEN_DEMAND_STATES = (
    DemandStatus.SUBMITTED,
    DemandStatus.PUBLISHED,
    DemandStatus.PAUSED,
    DemandStatus.CLOSED,
    DemandStatus.EXPIRED,
)


def reason_text(reason: str, detail: str) -> str:
    """A pair's reason in the reader's language."""
    if reason == PairReason.DEMAND_IPC:
        code, _bar, demand = detail.partition("|")
        return _("IPC %(code)s answers your demand “%(demand)s”") % {"code": code, "demand": demand}
    if reason == PairReason.DEMAND_FIELD:
        return _("In the field of your demand “%(demand)s”") % {"demand": detail}
    if reason == PairReason.ENQUIRED_FIELD:
        return _("You enquired on listings in %(field)s") % {"field": f"{detail} · {ipc_section_title(detail)}"}
    if reason == PairReason.SAME_CITY:
        return _("From a seller in your city")
    return _("Chosen for you by the operation centre")


# --- Listings --------------------------------------------------------------------------------------------------


def listing_candidates(scope: StaffScope, criteria: ListingCriteria) -> QuerySet[Listing]:
    """Listings on the market, hosted by the staff's centres, that meet the criteria; newest first."""
    listings = listings_on_market().filter(scope.filter_q("centre_id"))
    if criteria.seller_ids:
        listings = listings.filter(seller_id__in=criteria.seller_ids)
    if criteria.fields:
        listings = listings.filter(
            Exists(ListingPatent.objects.filter(listing=OuterRef("pk"), patent__ipc_section__in=criteria.fields))
        )
    if criteria.idle_only:
        listings = listings.exclude(Exists(Negotiation.objects.filter(listing=OuterRef("pk")))).exclude(
            Exists(Deal.objects.filter(listing=OuterRef("pk")))
        )
    return listings.order_by("-published_at", "-pk")


def listing_candidate_ids(scope: StaffScope, criteria: ListingCriteria) -> list[int]:
    return list(listing_candidates(scope, criteria).values_list("pk", flat=True)[:MAX_LISTINGS_PER_DRIVE])


def seller_choices(scope: StaffScope) -> QuerySet[Organisation]:
    """The sellers with listings on the market hosted by the staff's centres: universities and institutes first."""
    on_market = listings_on_market().filter(scope.filter_q("centre_id"))
    return (
        Organisation.objects.filter(Exists(on_market.filter(seller_id=OuterRef("pk"))))
        .order_by("-kind", "name")  # university, institute, enterprise
        .distinct()
    )


# --- Firms ------------------------------------------------------------------------------------------------------


def target_firms(scope: StaffScope, criteria: TargetCriteria) -> QuerySet[Organisation]:
    """Verified enterprises registered with the staff's centres that meet the criteria, by name."""
    firms = Organisation.objects.filter(scope.filter_q("centre_id"), kind=OrganisationKind.ENTERPRISE, verified=True)
    if criteria.cities:
        firms = firms.filter(city__in=criteria.cities)
    if criteria.sizes:
        firms = firms.filter(size__in=criteria.sizes)
    spoken = Demand.objects.filter(organisation=OuterRef("pk"), status__in=SPOKEN_DEMAND_STATES)
    if criteria.with_demands_only:
        firms = firms.filter(Exists(spoken))
    if criteria.fields:
        enquired = Negotiation.objects.filter(
            buyer=OuterRef("pk"), listing__listing_patents__patent__ipc_section__in=criteria.fields
        )
        firms = firms.filter(Q(Exists(spoken.filter(field__in=criteria.fields))) | Q(Exists(enquired)))
    return firms.order_by("name", "pk")


@dataclass
class _FirmProfile:
    city: str
    demand_fields: dict[str, str] = field(default_factory=dict)  # section -> a demand's title
    demand_ipc: list[tuple[str, str]] = field(default_factory=list)  # (IPC prefix, demand title)
    enquired_fields: set[str] = field(default_factory=set)
    negotiating: set[int] = field(default_factory=set)  # listings it already enquired on


def _firm_profiles(firms: list[Organisation]) -> dict[int, _FirmProfile]:
    profiles = {firm.pk: _FirmProfile(city=firm.city) for firm in firms}
    ids = list(profiles)
    demands = Demand.objects.filter(organisation_id__in=ids, status__in=SPOKEN_DEMAND_STATES).order_by("-pk")
    for organisation_id, section, codes, title in demands.values_list("organisation_id", "field", "ipc_codes", "title"):
        profile = profiles[organisation_id]
        profile.demand_fields.setdefault(section, title)
        profile.demand_ipc.extend((code, title) for code in codes or [])
    rows = Negotiation.objects.filter(buyer_id__in=ids).values_list(
        "buyer_id", "listing_id", "listing__listing_patents__patent__ipc_section"
    )
    for buyer_id, listing_id, section in rows:
        profiles[buyer_id].negotiating.add(listing_id)
        if section:
            profiles[buyer_id].enquired_fields.add(section)
    return profiles


@dataclass(frozen=True)
class _ListingProfile:
    listing: Listing
    sections: frozenset[str]
    ipc_codes: tuple[str, ...]


def _listing_profiles(listing_ids: list[int]) -> list[_ListingProfile]:
    listings = listings_on_market().in_bulk(listing_ids)
    sections: dict[int, set[str]] = defaultdict(set)
    codes: dict[int, list[str]] = defaultdict(list)
    rows = ListingPatent.objects.filter(listing_id__in=list(listings)).values_list(
        "listing_id", "patent__ipc_section", "patent__ipc_codes"
    )
    for listing_id, section, ipc_codes in rows:
        if section:
            sections[listing_id].add(section)
        codes[listing_id].extend(ipc_codes or [])
    return [
        _ListingProfile(listings[pk], frozenset(sections[pk]), tuple(codes[pk]))
        for pk in dict.fromkeys(listing_ids)
        if pk in listings
    ]


def _score(firm: _FirmProfile, listing: _ListingProfile) -> tuple[str, str]:
    for prefix, title in firm.demand_ipc:
        for code in listing.ipc_codes:
            if code.startswith(prefix.strip()):
                return PairReason.DEMAND_IPC, f"{code}|{title}"
    for section in sorted(listing.sections):
        if section in firm.demand_fields:
            return PairReason.DEMAND_FIELD, firm.demand_fields[section]
    for section in sorted(listing.sections):
        if section in firm.enquired_fields:
            return PairReason.ENQUIRED_FIELD, section
    if listing.listing.seller.city == firm.city:
        return PairReason.SAME_CITY, ""
    return PairReason.CHOSEN, ""


# --- The plan ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedPair:
    listing: Listing
    reason: str
    reason_detail: str
    score: int

    @property
    def reason_text(self) -> str:
        return reason_text(self.reason, self.reason_detail)


@dataclass(frozen=True)
class FirmPlan:
    firm: Organisation
    pairs: list[PlannedPair]


@dataclass(frozen=True)
class DrivePlan:
    firms: list[FirmPlan]
    listings: int  # chosen listings still on the market
    targeted: int  # firms the targets selected
    already_sent: int  # (firm, listing) pairs left out: the firm received the listing in an earlier drive

    @property
    def pairs(self) -> int:
        return sum(len(plan.pairs) for plan in self.firms)


def centre_scope(centre: OperationCentre) -> StaffScope:
    """What a drive of this centre may reach: the listings hosted and the firms registered with it and the centres
    below it (the provincial centre: everything), whoever of its staff builds or sends it."""
    return StaffScope(
        everything=centre.is_root, centre_ids=frozenset(descendant_ids([centre.pk])), admin_centre_ids=frozenset()
    )


def drive_plan(drive: Drive) -> DrivePlan:
    """Who would receive what if the drive were sent now."""
    scope = centre_scope(drive.centre)
    listings = _listing_profiles(list(drive.listing_ids))
    firms = list(target_firms(scope, TargetCriteria.of(drive.target_criteria)))
    profiles = _firm_profiles(firms)
    listing_ids = [profile.listing.pk for profile in listings]
    sent_before: set[tuple[int, int]] = set(
        DrivePair.objects.filter(organisation_id__in=list(profiles), listing_id__in=listing_ids)
        .exclude(drive=drive)
        .values_list("organisation_id", "listing_id")
    )
    plans: list[FirmPlan] = []
    already_sent = 0
    for firm in firms:
        profile = profiles[firm.pk]
        scored = []
        for order, listing in enumerate(listings):
            if listing.listing.seller_id == firm.pk or listing.listing.pk in profile.negotiating:
                continue
            if (firm.pk, listing.listing.pk) in sent_before:
                already_sent += 1
                continue
            reason, detail = _score(profile, listing)
            scored.append((-SCORES[reason], order, PlannedPair(listing.listing, reason, detail[:200], SCORES[reason])))
        scored.sort(key=lambda item: item[:2])
        pairs = [pair for _score_, _order, pair in scored[: drive.listings_per_firm]]
        if pairs:
            plans.append(FirmPlan(firm, pairs))
    return DrivePlan(firms=plans, listings=len(listings), targeted=len(firms), already_sent=already_sent)
