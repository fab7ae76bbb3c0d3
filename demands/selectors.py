"""Reads of technology demands. Every selector that returns rows a person sees takes that person, or says that
what it returns is the same for everyone (the public pages, the open API, the feed and the sitemap)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from demands.models import DEAL_KIND_FIELDS, Demand, DemandEvent, DemandStatus
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
