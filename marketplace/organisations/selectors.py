"""Which organisations a person may see in detail, which they belong to, and which they may bind."""

from collections.abc import Callable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.models import (
    ApiToken,
    MemberRole,
    Membership,
    Organisation,
    Signatory,
    SignatoryEvent,
    SignatoryStatus,
)


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


def can_edit_organisation_details(user, organisation: Organisation) -> bool:
    """Its administrators, and staff of its centre (or one above it), may correct its registered details."""
    return is_organisation_admin(user, organisation) or staff_scope(user).covers(organisation.centre_id)


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("-role", "user__email")


# --- Signatories: who may bind an organisation ---------------------------------------------------------------


class BindingAct(StrEnum):
    """What only a verified signatory may do on an organisation's behalf; the rest of its members prepare."""

    ACCEPT = "accept"  # accept terms that make a deal
    SIGN = "sign"  # sign a contract
    PAY = "pay"  # commit money: pay, announce a transfer, report royalties, keep a card for automatic payment
    CANCEL = "cancel"  # walk away from an agreed deal


class SignatoryRequired(PermissionDenied):
    """A member who is not a verified signatory tried to bind the organisation. The message says who can; pages
    show it to the member (unlike other refusals, which may be a plain 403)."""


def _binding_now() -> Q:
    """A verified signatory whose authorisation has not run out."""
    today = timezone.localdate()
    return Q(status=SignatoryStatus.VERIFIED) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def verified_signatories(organisation: Organisation) -> QuerySet[Signatory]:
    """The people who may bind the organisation today: verified, within their letter's period, still members."""
    return (
        Signatory.objects.filter(_binding_now(), organisation=organisation)
        .filter(user__memberships__organisation=organisation)
        .select_related("user")
        .order_by("nominated_at", "id")
    )


def signatory_organisation_ids(user) -> set[int]:
    """The organisations the person may bind today. Not kept on the user object, unlike organisation_ids_of: a
    verification or revocation must take effect at the person's very next action."""
    if user is None or not user.is_authenticated:
        return set()
    ids = Signatory.objects.filter(_binding_now(), user=user).values_list("organisation_id", flat=True)
    member_of = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    return set(ids) & set(member_of)


def is_signatory(user, organisation: Organisation) -> bool:
    return organisation.pk in signatory_organisation_ids(user)


def signatory_names(organisation: Organisation) -> list[str]:
    return [str(signatory.user) for signatory in verified_signatories(organisation)]


def signing_refusal(user, organisation: Organisation, act: BindingAct) -> str:
    """Why the person may not do `act` for the organisation, in words that say who can: "" when they may."""
    if is_signatory(user, organisation):
        return ""
    name = {"organisation": organisation.name}
    first = {
        BindingAct.ACCEPT: _("Only a verified signatory of %(organisation)s may accept binding terms on its behalf."),
        BindingAct.SIGN: _("Only a verified signatory of %(organisation)s may sign contracts on its behalf."),
        BindingAct.PAY: _("Only a verified signatory of %(organisation)s may commit its money."),
        BindingAct.CANCEL: _("Only a verified signatory of %(organisation)s may cancel a deal on its behalf."),
    }[BindingAct(act)] % name
    names = signatory_names(organisation)
    signed_in = user is not None and user.is_authenticated
    if (
        signed_in
        and Signatory.objects.filter(organisation=organisation, user=user, status=SignatoryStatus.NOMINATED).exists()
    ):
        second = _("Your nomination as its signatory awaits verification by its operation centre.")
    elif names:
        second = _("Ask %(names)s.") % {"names": _(", ").join(names)}
    else:
        second = _(
            "It has no verified signatory yet: an administrator names one on the organisation's page, and its "
            "operation centre verifies them."
        )
    return f"{first} {second}"


def require_signatory(user, organisation: Organisation, act: BindingAct) -> None:
    """Refuse (PermissionDenied, saying who can) unless the person may bind the organisation today."""
    refusal = signing_refusal(user, organisation, act)
    if refusal:
        raise SignatoryRequired(refusal)


def signatories_of(organisation: Organisation) -> QuerySet[Signatory]:
    """Every nomination of the organisation, newest first: for its page."""
    return (
        Signatory.objects.filter(organisation=organisation)
        .select_related("user", "nominated_by", "decided_by", "revoked_by")
        .order_by("-nominated_at", "-id")
    )


def signatories_to_verify(user) -> QuerySet[Signatory]:
    """Nominations awaiting a decision, of organisations registered with the person's centres (all for root
    staff); none for anyone else."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return Signatory.objects.none()
    return (
        Signatory.objects.filter(scope.filter_q("organisation__centre_id"), status=SignatoryStatus.NOMINATED)
        .select_related("organisation", "organisation__centre", "user", "nominated_by")
        .order_by("nominated_at", "id")
    )


def signatory_letters_visible_to(user) -> QuerySet[Signatory]:
    """Whose authorisation letter the person may download: it names a person and often carries their identity
    number, so only the organisation's administrators, the person named, and staff of its centre."""
    if user is None or not user.is_authenticated:
        return Signatory.objects.none()
    scope = staff_scope(user)
    if scope.everything:
        return Signatory.objects.all()
    admin_of = Membership.objects.filter(user=user, role=MemberRole.ADMIN).values_list("organisation_id", flat=True)
    condition = Q(organisation_id__in=admin_of) | Q(user=user)
    if scope.is_staff:
        condition |= scope.filter_q("organisation__centre_id")
    return Signatory.objects.filter(condition)


def signatory_events_of(organisation: Organisation) -> QuerySet[SignatoryEvent]:
    return SignatoryEvent.objects.filter(signatory__organisation=organisation).select_related(
        "actor", "signatory", "signatory__user"
    )


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


def moderated_panel_context(user, owned: Callable[[object], QuerySet], to_moderate: Callable[[object], QuerySet]):
    """A workspace panel of things organisations write and centres moderate (listings, demands): the member's own by
    status and the staff's moderation queue; None for someone who is neither member nor staff."""
    is_member = bool(organisation_ids_of(user))
    is_staff = staff_scope(user).is_staff
    if not (is_member or is_staff):
        return None
    by_status = {}
    if is_member:
        rows = owned(user).order_by().values_list("status").annotate(n=Count("id"))
        by_status = dict(rows.values_list("status", "n"))
    return {
        "is_member": is_member,
        "is_staff": is_staff,
        "by_status": by_status,
        "to_moderate": to_moderate(user).count() if is_staff else 0,
    }


# --- API tokens -----------------------------------------------------------------------------------------------


def can_see_api_tokens(user, organisation: Organisation) -> bool:
    """The token page: the organisation's administrators, and staff of its centre (who may revoke a misused one)."""
    return is_organisation_admin(user, organisation) or staff_scope(user).covers(organisation.centre_id)


def can_revoke_api_tokens(user, organisation: Organisation) -> bool:
    return can_see_api_tokens(user, organisation)


def api_tokens_of(organisation: Organisation) -> QuerySet[ApiToken]:
    """Every token the organisation was issued, active first, newest first: prefix, name, scopes and use, never
    the secret (which is not stored)."""
    return (
        ApiToken.objects.filter(organisation=organisation)
        .select_related("created_by", "revoked_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id")
    )
