"""Who takes part in a negotiation or deal, and which ones a person may see. Checked on every read and write,
over HTTP and over WebSocket alike."""

from django.db.models import Count, Q, QuerySet

from deals.models import Deal, Negotiation, NegotiationMessage, NegotiationStatus, ReadMark, Side
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
