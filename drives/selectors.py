"""Reads of matching drives: who sees which drive and digest, and the funnel of a sent drive.

The funnel follows each listing sent to each firm (a pair) through what the platform records anyway, from the
moment the drive was sent:
- sent: the firm's digest went out; opened: someone of the firm opened it (in the workspace or through the mail);
- enquiry: the firm opened a negotiation on the listing (an enquiry opens a room: deals.models.Negotiation);
- negotiation: terms were proposed in that room (a term sheet: deals.models.Offer);
- deal: both sides accepted terms there (deals.models.Deal), unless the deal was cancelled.
The headline counts firms; the table per listing counts firms, the table per firm counts listings.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from deals.models import Deal, DealStatus, Negotiation, Offer
from drives.models import Drive, DrivePair, DriveRecipient, DriveStatus
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of

STAGES = ("sent", "opened", "enquiries", "negotiations", "deals")


def drives_visible_to(user) -> QuerySet[Drive]:
    """The drives of the staff's centres and the centres below them (root staff: every drive); none for others."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return Drive.objects.none()
    return Drive.objects.filter(scope.filter_q("centre_id")).select_related("centre", "created_by")


def digests_of_member(user) -> QuerySet[DriveRecipient]:
    """The digests the user's organisations received, newest first."""
    return (
        DriveRecipient.objects.filter(organisation_id__in=organisation_ids_of(user), drive__status=DriveStatus.SENT)
        .select_related("drive__centre", "organisation")
        .order_by("-created_at", "-pk")
    )


def digest_by_token(token: str) -> DriveRecipient | None:
    """A digest by the token of its link: whoever holds the link may read it (it lists public listings only)."""
    return (
        DriveRecipient.objects.filter(token=token, drive__status=DriveStatus.SENT)
        .select_related("drive__centre", "organisation")
        .first()
    )


def digest_pairs(recipient: DriveRecipient) -> list[DrivePair]:
    return list(recipient.pairs.select_related("listing__seller", "listing__centre").order_by("position"))


@dataclass
class FunnelRow:
    """One line of a table: a listing (counting firms) or a firm (counting listings), or the whole drive."""

    key: int
    label: str
    sent: int = 0
    opened: int = 0
    enquiries: int = 0
    negotiations: int = 0
    deals: int = 0

    def stages(self) -> list[tuple[str, int]]:
        return [(stage, getattr(self, stage)) for stage in STAGES]


@dataclass
class Funnel:
    drive: Drive
    firms: FunnelRow  # the headline: firms at each stage
    pairs: FunnelRow  # listings-to-firms at each stage
    by_listing: list[FunnelRow] = field(default_factory=list)
    by_firm: list[FunnelRow] = field(default_factory=list)

    def bars(self) -> list[dict]:
        """The headline as bars: each stage's firms, its width a share of the firms reached."""
        top = self.firms.sent or 1
        return [
            {"stage": stage, "count": count, "percent": round(100 * count / top)}
            for stage, count in self.firms.stages()
        ]


def drive_funnel(drive: Drive) -> Funnel:
    """The funnel of a drive, from its pairs and the negotiations, offers and deals recorded since it was sent."""
    pairs = list(
        DrivePair.objects.filter(drive=drive).values_list(
            "organisation_id", "organisation__name", "listing_id", "listing__title", "recipient__opened_at"
        )
    )
    firms = FunnelRow(0, "")
    totals = FunnelRow(0, "")
    if not pairs or drive.sent_at is None:
        return Funnel(drive, firms, totals)
    firm_ids = {row[0] for row in pairs}
    listing_ids = {row[2] for row in pairs}
    sent_pairs = {(row[0], row[2]) for row in pairs}
    negotiations: dict[tuple[int, int], set[int]] = defaultdict(set)
    for pk, buyer_id, listing_id in Negotiation.objects.filter(
        buyer_id__in=firm_ids, listing_id__in=listing_ids, created_at__gte=drive.sent_at
    ).values_list("pk", "buyer_id", "listing_id"):
        if (buyer_id, listing_id) in sent_pairs:
            negotiations[(buyer_id, listing_id)].add(pk)
    attributed = {pk for pks in negotiations.values() for pk in pks}
    with_offer = set(Offer.objects.filter(negotiation_id__in=attributed).values_list("negotiation_id", flat=True))
    with_deal = set(
        Deal.objects.filter(negotiation_id__in=attributed)
        .exclude(status=DealStatus.CANCELLED)
        .values_list("negotiation_id", flat=True)
    )

    by_listing: dict[int, FunnelRow] = {}
    by_firm: dict[int, FunnelRow] = {}
    firm_stages: dict[int, set[str]] = defaultdict(set)
    for firm_id, firm_name, listing_id, listing_title, opened_at in pairs:
        stages = {"sent"}
        if opened_at is not None:
            stages.add("opened")
        rooms = negotiations.get((firm_id, listing_id), set())
        if rooms:
            stages.add("enquiries")
        if rooms & with_offer:
            stages.add("negotiations")
        if rooms & with_deal:
            stages.add("deals")
        firm_stages[firm_id] |= stages
        listing_row = by_listing.setdefault(listing_id, FunnelRow(listing_id, listing_title))
        firm_row = by_firm.setdefault(firm_id, FunnelRow(firm_id, firm_name))
        for stage in stages:
            for row in (listing_row, firm_row, totals):
                setattr(row, stage, getattr(row, stage) + 1)
    for stages in firm_stages.values():
        for stage in stages:
            setattr(firms, stage, getattr(firms, stage) + 1)

    def order(row: FunnelRow):
        return (-row.deals, -row.negotiations, -row.enquiries, -row.opened, row.label, row.key)

    return Funnel(
        drive,
        firms,
        totals,
        by_listing=sorted(by_listing.values(), key=order),
        by_firm=sorted(by_firm.values(), key=order),
    )


def drive_recipient_count(drive: Drive) -> int:
    return drive.recipients.count()
