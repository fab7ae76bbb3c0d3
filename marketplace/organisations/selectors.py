"""Which organisations a person may see in detail, and which they belong to."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.models import MemberRole, Membership, Organisation


def organisation_ids_of(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_organisation_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._organisation_ids = cached
    return cached


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation", "organisation__centre")


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Organisations whose private details (members, verification state) the user may see.

    Members see their own; centre staff see those registered with their centre or a centre below it;
    root staff see all. Everyone else sees none here (public profiles go through `organisations_public`).
    """
    queryset = Organisation.objects.select_related("centre")
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = staff_scope(user)
    if scope.everything:
        return queryset
    condition = Q(id__in=organisation_ids_of(user))
    if scope.is_staff:
        condition |= scope.filter_q("centre_id")
    return queryset.filter(condition)


def organisations_public() -> QuerySet[Organisation]:
    """The directory anyone may read: every organisation with its public fields."""
    return Organisation.objects.select_related("centre").order_by("-verified", "name")


def organisations_to_verify(user) -> QuerySet[Organisation]:
    scope = staff_scope(user)
    if not scope.is_staff:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(scope.filter_q("centre_id"))
        .select_related("centre")
        .order_by("verified", "-created_at")
    )


def is_organisation_admin(user, organisation: Organisation) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role=MemberRole.ADMIN).exists()


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("-role", "user__email")


def organisations_only_administered_by(user) -> QuerySet[Organisation]:
    """The organisations of which the person is the one administrator left (no other active one)."""
    administered = Membership.objects.filter(user=user, role=MemberRole.ADMIN).values("organisation_id")
    others = Membership.objects.filter(role=MemberRole.ADMIN, user__is_active=True).exclude(user=user)
    return Organisation.objects.filter(pk__in=administered).exclude(pk__in=others.values("organisation_id"))


def personal_data_sections(user) -> list[PersonalDataSection]:
    memberships = [
        {
            "organisation": membership.organisation.name,
            "organisation_id": membership.organisation_id,
            "role": membership.get_role_display(),
            "since": membership.created_at,
        }
        for membership in memberships_of(user)
    ]
    return [PersonalDataSection("organisations.memberships", _("Your organisations"), memberships)]
