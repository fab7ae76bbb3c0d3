"""Who takes part in a negotiation or deal, and which ones a person may see. Checked on every read and write,
over HTTP and over WebSocket alike."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from deals.models import (
    ContractRegistration,
    Deal,
    DealEvent,
    DealStatus,
    Negotiation,
    NegotiationMessage,
    NegotiationStatus,
    NoticeObjection,
    ObjectionStatus,
    Offer,
    PriceNotice,
    PriceNoticeStatus,
    ReadMark,
    ShareRegistration,
    Side,
    SignedContract,
)
from listings.models import Patent
from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.models import Membership
from marketplace.organisations.selectors import organisation_ids_of


def participant_side(negotiation: Negotiation, user) -> str | None:
    """buyer / seller / broker (staff of the hosting centre or above, root included), or None for outsiders."""
    if user is None or not user.is_authenticated:
        return None
    organisations = organisation_ids_of(user)
    if negotiation.buyer_id in organisations:
        return Side.BUYER
    if negotiation.listing.seller_id in organisations:
        return Side.SELLER
    if staff_scope(user).covers(negotiation.listing.centre_id):
        return Side.BROKER
    return None


def _visible(user, queryset: QuerySet, *, seller: str, centre: str) -> QuerySet:
    """The one rule of who sees a negotiation or a deal: the members of its buyer and of its seller, the staff of
    the hosting centre and of the centres above it (root staff: everything); nobody who is not signed in."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = staff_scope(user)
    if scope.everything:
        return queryset
    organisations = organisation_ids_of(user)
    condition = Q(buyer_id__in=organisations) | Q(**{f"{seller}__in": organisations})
    if scope.is_staff:
        condition |= scope.filter_q(centre)
    return queryset.filter(condition)


def negotiations_visible_to(user) -> QuerySet[Negotiation]:
    queryset = Negotiation.objects.select_related("listing", "listing__seller", "listing__centre", "buyer", "broker")
    return _visible(user, queryset, seller="listing__seller_id", centre="listing__centre_id")


def deals_visible_to(user) -> QuerySet[Deal]:
    queryset = Deal.objects.select_related("listing", "buyer", "seller", "centre", "offer")
    return _visible(user, queryset, seller="seller_id", centre="centre_id")


def deal_side(deal: Deal, user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    organisations = organisation_ids_of(user)
    if deal.buyer_id in organisations:
        return Side.BUYER
    if deal.seller_id in organisations:
        return Side.SELLER
    if staff_scope(user).covers(deal.centre_id):
        return Side.BROKER
    return None


def deal_patents(deal: Deal) -> list[Patent]:
    """The deal's patents in the listing's order: the order the contract lists them in."""
    return list(deal.listing.patents.order_by("listing_patents__position"))


def signed_contract_of(deal: Deal) -> SignedContract | None:
    """The contract as the platform signed it, once both parties have signed; None before."""
    return SignedContract.objects.filter(deal=deal).first()


def deals_awaiting_seal(*, signed_before) -> QuerySet[Deal]:
    """Deals both parties signed before `signed_before` whose contract the platform has not signed yet, oldest
    first (the timestamp authority was down, or a runner died mid-seal). Cancelled deals are left alone."""
    return (
        Deal.objects.filter(
            buyer_signed_at__lt=signed_before, seller_signed_at__lt=signed_before, signed_contract__isnull=True
        )
        .exclude(status=DealStatus.CANCELLED)
        .order_by("buyer_signed_at", "pk")
    )


def room_history(negotiation: Negotiation) -> QuerySet[NegotiationMessage]:
    return negotiation.messages.select_related("author", "offer")


def unread_count(negotiation: Negotiation, user) -> int:
    mark = ReadMark.objects.filter(negotiation=negotiation, user=user).values_list("last_read_message_id", flat=True)
    last_read = mark.first() or 0
    return negotiation.messages.filter(id__gt=last_read).exclude(author=user).count()


def unread_counts(user, negotiation_ids: list[int]) -> dict[int, int]:
    """Unread messages per negotiation for a list view, in two queries."""
    marks = dict(
        ReadMark.objects.filter(user=user, negotiation_id__in=negotiation_ids).values_list(
            "negotiation_id", "last_read_message_id"
        )
    )
    counts = dict.fromkeys(negotiation_ids, 0)
    rows = (
        NegotiationMessage.objects.filter(negotiation_id__in=negotiation_ids)
        .exclude(author=user)
        .values_list("negotiation_id", "id")
    )
    for negotiation_id, message_id in rows.iterator():
        if message_id > marks.get(negotiation_id, 0):
            counts[negotiation_id] += 1
    return counts


def pass_reasons_for(user) -> list[dict]:
    """ "Why we passed", in aggregate: for sellers, their listings; for centre staff, what their centre hosts."""
    scope = staff_scope(user)
    ended = Negotiation.objects.filter(status=NegotiationStatus.PASSED)
    if not scope.everything:
        condition = Q(listing__seller_id__in=organisation_ids_of(user))
        if scope.is_staff:
            condition |= scope.filter_q("listing__centre_id")
        ended = ended.filter(condition)
    return list(ended.values("pass_reason").annotate(count=Count("id")).order_by("-count"))


def participant_user_ids(negotiation: Negotiation) -> set[int]:
    ids = set(
        Membership.objects.filter(
            organisation_id__in=[negotiation.buyer_id, negotiation.listing.seller_id]
        ).values_list("user_id", flat=True)
    )
    if negotiation.broker_id:
        ids.add(negotiation.broker_id)
    return ids


# --- A person's copy of their data (marketplace.accounts.signals.personal_data_requested) ---------------------

OFFER_TERMS = (
    "licence_type",
    "territory",
    "field_of_use",
    "term_years",
    "upfront_fee_fen",
    "royalty_rate",
    "minimum_annual_royalty_fen",
    "payment_mode",
    "price_fen",
    "instalments",
    "appraised_value_fen",
    "share_percent",
    "receiving_company",
    "note",
)


def personal_data_sections(user) -> list[PersonalDataSection]:
    """What the person did in negotiations and deals: the enquiries they opened, what they wrote in the rooms,
    the offers they made, the deal steps they took, and (for brokers) the negotiations they followed and the
    registrations they recorded. The other party's words are theirs, not this person's, and are left out."""
    opened = [
        {
            "negotiation_id": negotiation.pk,
            "listing": negotiation.listing.title,
            "mode": negotiation.get_mode_display(),
            "buyer": negotiation.buyer.name,
            "status": negotiation.get_status_display(),
            "opened_at": negotiation.created_at,
        }
        for negotiation in Negotiation.objects.filter(opened_by=user).select_related("listing", "buyer").order_by("pk")
    ]
    brokered = [
        {
            "negotiation_id": negotiation.pk,
            "listing": negotiation.listing.title,
            "status": negotiation.get_status_display(),
        }
        for negotiation in Negotiation.objects.filter(broker=user).select_related("listing").order_by("pk")
    ]
    messages = [
        {
            "negotiation_id": message.negotiation_id,
            "side": message.get_side_display(),
            "kind": message.get_kind_display(),
            "text": message.body,
            "at": message.created_at,
        }
        for message in NegotiationMessage.objects.filter(author=user).order_by("created_at", "pk")
    ]
    offers = [
        {
            "negotiation_id": offer.negotiation_id,
            "version": offer.version,
            "side": offer.get_side_display(),
            "status": offer.get_status_display(),
            "proposed_at": offer.created_at,
            **{name: getattr(offer, name) for name in OFFER_TERMS if getattr(offer, name) not in (None, "")},
        }
        for offer in Offer.objects.filter(proposed_by=user).order_by("created_at", "pk")
    ]
    steps = [
        {
            "deal_id": event.deal_id,
            "from_status": event.get_from_status_display(),
            "to_status": event.get_to_status_display(),
            "note": event.note,
            "at": event.created_at,
        }
        for event in DealEvent.objects.filter(actor=user).order_by("created_at", "pk")
    ]
    registrations = [
        {"deal_id": row.deal_id, "registration_number": row.number, "registered_on": row.registered_on}
        for row in ContractRegistration.objects.filter(recorded_by=user).order_by("pk")
    ] + [
        {"deal_id": row.deal_id, "share_registration": row.reference, "registered_on": row.registered_on}
        for row in ShareRegistration.objects.filter(recorded_by=user).order_by("pk")
    ]
    return [
        PersonalDataSection("deals.negotiations_opened", _("Negotiations you opened"), opened),
        PersonalDataSection("deals.negotiations_brokered", _("Negotiations you followed as broker"), brokered),
        PersonalDataSection("deals.messages", _("What you wrote in negotiation rooms"), messages),
        PersonalDataSection("deals.offers", _("Offers you proposed"), offers),
        PersonalDataSection("deals.deal_steps", _("Deal steps you took"), steps),
        PersonalDataSection("deals.registrations", _("Registrations you recorded"), registrations),
    ]


def price_notices_public() -> QuerySet[PriceNotice]:
    """Every agreed-price notice: the notice is public by law, whoever looks (anonymous visitors included). Those
    still running come first, then the most recent."""
    running = Case(
        When(status__in=[PriceNoticeStatus.OPEN, PriceNoticeStatus.OBJECTED], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        PriceNotice.objects.select_related("listing", "seller", "buyer", "centre")
        .annotate(running=running)
        .order_by("running", "-starts_at", "-id")
    )


def price_notice_objections_for(notice: PriceNotice, user) -> QuerySet[NoticeObjection]:
    """The objections to a notice, with their reasons and decisions: for the staff who decide them, and for the
    deal's parties (who must be able to answer them); nobody else sees who objected or why."""
    objections = notice.objections.select_related("filed_by", "resolved_by")
    if user is None or not user.is_authenticated:
        return objections.none()
    if staff_scope(user).covers(notice.centre_id):
        return objections
    organisations = organisation_ids_of(user)
    if notice.buyer_id in organisations or notice.seller_id in organisations:
        return objections
    return objections.filter(filed_by=user)


def objections_awaiting_decision(user) -> QuerySet[NoticeObjection]:
    """The staff's queue: objections under review at the centres the person's staff role covers, oldest first
    (each pauses a deal until decided)."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return NoticeObjection.objects.none()
    return (
        NoticeObjection.objects.filter(scope.filter_q("notice__centre_id"), status=ObjectionStatus.OPEN)
        .select_related("notice__listing", "notice__seller", "notice__buyer", "notice__centre", "filed_by")
        .order_by("created_at", "pk")
    )


def may_resolve_objections(notice: PriceNotice, user) -> bool:
    return user is not None and user.is_authenticated and staff_scope(user).covers(notice.centre_id)
