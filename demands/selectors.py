"""Reads of technology demands. Every selector that returns rows a person sees takes that person, or says that
what it returns is the same for everyone (the public pages, the open API, the feed and the sitemap)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from deals.models import Deal, DealStatus
from demands.models import DEAL_KIND_FIELDS, AnsweredListing, Demand, DemandAnswer, DemandEvent, DemandStatus
from listings.models import Listing, ListingPatent, ListingStatus, ListingTerms
from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of

# What anyone may open: published demands only. Paused, closed and expired ones stay with their organisation
# and its centre.
PUBLIC_STATES = (DemandStatus.PUBLISHED,)


def _with_related(queryset: QuerySet[Demand]) -> QuerySet[Demand]:
    return queryset.select_related("organisation", "centre")


def _visible(user) -> Q:
    scope = staff_scope(user)
    if scope.everything:
        return Q()
    condition = Q(status__in=PUBLIC_STATES)
    organisations = organisation_ids_of(user)
    if organisations:
        condition |= Q(organisation_id__in=organisations)
    if scope.is_staff:
        condition |= scope.filter_q("centre_id")
    return condition


def demands_visible_to(user) -> QuerySet[Demand]:
    """Published demands for everyone; plus, for members, all of their organisations' demands; plus, for centre
    staff, everything hosted by their centre and the centres below it (root staff: everything). For an anonymous
    visitor this reads no session: staff_scope and organisation_ids_of answer from `is_authenticated`."""
    return _with_related(Demand.objects.filter(_visible(user)))


def demands_published() -> QuerySet[Demand]:
    """The demands on the public site, the same for everyone, newest first."""
    return _with_related(Demand.objects.filter(status__in=PUBLIC_STATES)).order_by("-published_at", "-pk")


@dataclass(frozen=True)
class DemandFilters:
    """The public list's and the open API's filters; an empty one filters nothing."""

    field: str = ""  # an IPC section letter
    city: str = ""
    deal_kind: str = ""

    @property
    def active(self) -> bool:
        return bool(self.field or self.city or self.deal_kind)


def demands_published_filtered(filters: DemandFilters) -> QuerySet[Demand]:
    queryset = demands_published()
    if filters.field:
        queryset = queryset.filter(field=filters.field)
    if filters.city:
        queryset = queryset.filter(city=filters.city)
    if filters.deal_kind:
        queryset = queryset.filter(**{DEAL_KIND_FIELDS[filters.deal_kind]: True})
    return queryset


def newest_demands_published(limit: int) -> list[Demand]:
    return list(demands_published()[:limit])


def demands_of_member(user) -> QuerySet[Demand]:
    """The demands of the organisations the user belongs to (the organisation's workspace)."""
    return _with_related(Demand.objects.filter(organisation_id__in=organisation_ids_of(user))).order_by(
        "-updated_at", "-pk"
    )


def demand_moderation_queue(user) -> QuerySet[Demand]:
    """Submitted demands hosted by the staff member's centre or below it, oldest first."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return Demand.objects.none()
    return _with_related(Demand.objects.filter(scope.filter_q("centre_id"), status=DemandStatus.SUBMITTED)).order_by(
        "submitted_at", "pk"
    )


def demands_hosted_for(user) -> QuerySet[Demand]:
    scope = staff_scope(user)
    if not scope.is_staff:
        return Demand.objects.none()
    return _with_related(Demand.objects.filter(scope.filter_q("centre_id")))


# --- A person's copy of their data (marketplace.accounts.signals.personal_data_requested) ---------------------


def personal_data_sections(user) -> list[PersonalDataSection]:
    """The demands the person wrote and the status moves the person made."""
    written = [
        {
            "id": demand.pk,
            "title": demand.title,
            "organisation": demand.organisation.name,
            "status": demand.get_status_display(),
            "created_at": demand.created_at,
            "published_at": demand.published_at,
        }
        for demand in Demand.objects.filter(created_by=user).select_related("organisation").order_by("created_at", "pk")
    ]
    moves = [
        {
            "demand_id": event.demand_id,
            "demand": event.demand.title,
            "from_status": event.get_from_status_display(),
            "to_status": event.get_to_status_display(),
            "note": event.note,
            "at": event.created_at,
        }
        for event in DemandEvent.objects.filter(actor=user).select_related("demand").order_by("created_at", "pk")
    ]
    return [
        PersonalDataSection("demands.created", _("Technology demands you wrote"), written),
        PersonalDataSection("demands.status_changes", _("Demand status changes you made"), moves),
    ]


# --- Answers ---------------------------------------------------------------------------------------------------


def can_see_all_answers(user, demand: Demand) -> bool:
    """The demand's organisation and the staff of its centre (or above) see every answer; a seller sees its own."""
    return demand.organisation_id in organisation_ids_of(user) or staff_scope(user).covers(demand.centre_id)


def answers_visible_to(user, demand: Demand) -> QuerySet[DemandAnswer]:
    """The answers to this demand the person may read, oldest first: all of them for the demand's organisation and
    its centre's staff; for a seller, its own answers (and, for a broker, those it wrote or its centres' sellers
    wrote); none for anyone else, the public included."""
    answers = DemandAnswer.objects.filter(demand=demand).select_related("organisation", "answered_by")
    if user is None or not user.is_authenticated:
        return answers.none()
    if not can_see_all_answers(user, demand):
        scope = staff_scope(user)
        condition = Q(organisation_id__in=organisation_ids_of(user)) | Q(answered_by=user)
        if scope.is_staff:
            condition |= scope.filter_q("organisation__centre_id")
        answers = answers.filter(condition)
    return answers.order_by("created_at", "pk")


@dataclass(frozen=True)
class AnswerRow:
    """One answered listing as the comparison page shows it, side by side with the others."""

    answered: AnsweredListing
    answer: DemandAnswer
    listing: Listing
    patents: list
    modes: list[tuple[str, str]]  # the open modes: (value, label)
    negotiation_id: int | None


def answer_rows(user, demand: Demand, *, include_withdrawn: bool = False) -> list[AnswerRow]:
    """The answered listings of the answers the person may read, in the order they came."""
    answers = answers_visible_to(user, demand)
    if not include_withdrawn:
        answers = answers.filter(withdrawn_at__isnull=True)
    answered = list(
        AnsweredListing.objects.filter(answer__in=answers)
        .select_related("answer__organisation", "answer__answered_by", "listing__seller", "listing__centre")
        .prefetch_related(
            Prefetch("listing__listing_patents", queryset=ListingPatent.objects.select_related("patent")),
            Prefetch("listing__terms", queryset=ListingTerms.objects.filter(is_open=True).order_by("mode")),
        )
        .order_by("answer__created_at", "answer_id", "pk")
    )
    return [
        AnswerRow(
            answered=row,
            answer=row.answer,
            listing=row.listing,
            patents=[link.patent for link in row.listing.listing_patents.all()],
            modes=[(terms.mode, terms.get_mode_display()) for terms in row.listing.terms.all()],
            negotiation_id=row.negotiation_id,
        )
        for row in answered
    ]


def answer_listing_choices(user, demand: Demand) -> QuerySet[Listing]:
    """The published listings the person may answer this demand with: those of their own organisations, and, for
    centre staff, those their centres host (a broker answering for a seller). Never the demand's own
    organisation's."""
    if user is None or not user.is_authenticated:
        return Listing.objects.none()
    scope = staff_scope(user)
    condition = Q(seller_id__in=organisation_ids_of(user))
    if scope.is_staff:
        condition |= scope.filter_q("centre_id")
    return (
        Listing.objects.filter(condition, status=ListingStatus.PUBLISHED)
        .exclude(seller_id=demand.organisation_id)
        .select_related("seller")
        .order_by("seller__name", "-published_at", "pk")
    )


def answers_of_member(user) -> QuerySet[DemandAnswer]:
    """The answers the person's organisations gave (the workspace's "your answers")."""
    return DemandAnswer.objects.filter(organisation_id__in=organisation_ids_of(user)).select_related(
        "demand", "organisation"
    )


def answers_received_by_member(user) -> QuerySet[DemandAnswer]:
    """The answers to the person's organisations' demands that are not withdrawn (the workspace's count)."""
    return DemandAnswer.objects.filter(
        demand__organisation_id__in=organisation_ids_of(user), withdrawn_at__isnull=True
    ).select_related("demand", "organisation")


def solving_deal_choices(demand: Demand) -> QuerySet[Deal]:
    """The deals the demand's organisation may name when it closes the demand as solved: its own as buyer, not
    cancelled, newest first."""
    return (
        Deal.objects.filter(buyer_id=demand.organisation_id)
        .exclude(status=DealStatus.CANCELLED)
        .select_related("listing", "seller")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class AnswersBox:
    """What a demand's page says about its answers to the person reading it."""

    visible: int  # answers the person may read (0 for the public)
    sees_all: bool
    may_answer: bool  # the demand is open to answers and the person is not of its organisation


def answers_box(user, demand: Demand) -> AnswersBox:
    """For a visitor: only whether the demand takes answers (the page is cached for every visitor alike, so
    nothing of the answers shows). For a signed-in person: how many answers they may read, too."""
    open_to_answers = demand.status == DemandStatus.PUBLISHED
    if user is None or not user.is_authenticated:
        return AnswersBox(visible=0, sees_all=False, may_answer=open_to_answers)
    own = demand.organisation_id in organisation_ids_of(user)
    visible = answers_visible_to(user, demand).filter(withdrawn_at__isnull=True).count()
    return AnswersBox(
        visible=visible,
        sees_all=can_see_all_answers(user, demand),
        may_answer=open_to_answers and (not own or staff_scope(user).is_staff),
    )
