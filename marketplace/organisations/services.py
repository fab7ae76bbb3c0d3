"""Writes for organisations and their members."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import root_centre, staff_scope
from marketplace.organisations.models import MemberRole, Membership, Organisation
from marketplace.organisations.selectors import is_organisation_admin
from marketplace.organisations.validators import clean_credit_code


@transaction.atomic
def organisation_register(
    *,
    actor,
    name: str,
    kind: str,
    credit_code: str,
    city: str,
    centre: OperationCentre | None = None,
    name_en: str = "",
    description: str = "",
    website: str = "",
) -> Organisation:
    """Register an organisation; the person registering it becomes its first administrator.

    It starts unverified: staff of the centre it registered with (or the provincial centre) verify it.
    """
    code = clean_credit_code(credit_code)
    if Organisation.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("An organisation with this credit code is already registered.")})
    organisation = Organisation(
        name=name.strip(),
        name_en=name_en.strip(),
        kind=kind,
        credit_code=code,
        city=city,
        centre=centre or root_centre(),
        description=description,
        website=website,
    )
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=actor, role=MemberRole.ADMIN)
    return organisation


def organisation_set_verified(*, organisation: Organisation, actor, verified: bool) -> Organisation:
    """Only staff of the organisation's centre (or one above it) may verify it."""
    if not staff_scope(actor).covers(organisation.centre_id):
        raise PermissionDenied(_("Only staff of this organisation's operation centre may verify it."))
    organisation.verified = verified
    organisation.verified_at = timezone.now() if verified else None
    organisation.verified_by = actor if verified else None
    organisation.save(update_fields=["verified", "verified_at", "verified_by"])
    return organisation


def membership_add(*, organisation: Organisation, actor, email: str, role: str = MemberRole.MEMBER) -> Membership:
    """An organisation's administrator adds a person who already has an account."""
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation may add members."))
    # A closed or deactivated account cannot be made a member again.
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": _("No account uses this e-mail address; ask the person to sign up first.")})
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


def memberships_end(*, user) -> int:
    """The person leaves every organisation (their account is closing). What they did for an organisation stays
    with it: listings, negotiations, deals and payments belong to the organisation, not to the person."""
    deleted, _by_model = Membership.objects.filter(user=user).delete()
    return deleted
