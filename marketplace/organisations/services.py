"""Writes for organisations, their members and their signatories."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import root_centre, staff_scope
from marketplace.core.states import status_move
from marketplace.core.uploads import upload_check
from marketplace.organisations.models import (
    STANDING_SIGNATORY_STATES,
    ApiScope,
    ApiToken,
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    Signatory,
    SignatoryEvent,
    SignatoryStatus,
)
from marketplace.organisations.selectors import (
    can_edit_organisation_details,
    can_revoke_api_tokens,
    is_organisation_admin,
)
from marketplace.organisations.signals import signatory_status_changed
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
    address: str = "",
    description: str = "",
    website: str = "",
    size: str = "",
) -> Organisation:
    """Register an organisation; the person registering it becomes its first administrator.

    It starts unverified: staff of the centre it registered with (or the provincial centre) verify it.
    """
    code = clean_credit_code(credit_code)
    if Organisation.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("An organisation with this credit code is already registered.")})
    if size and kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({"size": _("Only an enterprise states its size.")})
    organisation = Organisation(
        name=name.strip(),
        name_en=name_en.strip(),
        kind=kind,
        credit_code=code,
        city=city,
        centre=centre or root_centre(),
        address=address.strip(),
        description=description,
        website=website,
        size=size,
    )
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=actor, role=MemberRole.ADMIN)
    return organisation


def organisation_update_details(
    *, organisation: Organisation, actor, address: str, website: str, description: str, name_en: str, size: str = ""
) -> Organisation:
    """Its administrators or its centre's staff correct the details the organisation declares itself.

    The name and the credit code are not among them: the centre verified those against the licence, so they
    change only through the centre, never here."""
    if not can_edit_organisation_details(actor, organisation):
        raise PermissionDenied(
            _("Only an administrator of the organisation or staff of its operation centre may edit its details.")
        )
    organisation.address = address.strip()
    organisation.website = website.strip()
    organisation.description = description.strip()
    organisation.name_en = name_en.strip()
    if size and organisation.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({"size": _("Only an enterprise states its size.")})
    organisation.size = size
    organisation.full_clean()
    organisation.save(update_fields=["address", "website", "description", "name_en", "size"])
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


# --- Signatories ----------------------------------------------------------------------------------------------

SS = SignatoryStatus
# A nomination is decided once (verified or refused) and a standing one may be revoked; refused and revoked are
# final: naming the person again is a new nomination, so the record keeps who could sign when.
SIGNATORY_TRANSITIONS: dict[str, frozenset[str]] = {
    SS.NOMINATED: frozenset({SS.VERIFIED, SS.REFUSED, SS.REVOKED}),
    SS.VERIFIED: frozenset({SS.REVOKED}),
}
MAX_REASON_CHARS = 500


def signatory_set_status(*, signatory: Signatory, to_status: str, actor, note: str = "", **changes) -> Signatory:
    """Move a signatory (with the field changes that go with it), write its audit row and announce it. Refuses
    any move the table above does not allow. Call it holding the signatory's row lock."""
    from_status = status_move(
        signatory,
        SIGNATORY_TRANSITIONS,
        to_status,
        not_validated=("organisation", "user", "nominated_by", "decided_by", "revoked_by"),
        **changes,
    )
    SignatoryEvent.objects.create(
        signatory=signatory, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    signatory_status_changed.send(
        sender=Signatory, signatory=signatory, from_status=from_status, to_status=to_status, actor=actor
    )
    return signatory


@transaction.atomic
def signatory_nominate(
    *,
    organisation: Organisation,
    actor,
    user,
    capacity: str,
    letter: UploadedFile,
    valid_until: date | None = None,
) -> Signatory:
    """An administrator of the organisation names one of its members as a signatory, with the authorisation
    letter (授权委托书; for the legal representative, the certificate 法定代表人身份证明书) as evidence. The
    nomination binds nothing until staff of the organisation's operation centre verify it."""
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation may name its signatories."))
    # Two nominations of one person at once must not both pass the check below: the organisation's row is the lock.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if not Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"user": _("Only a member of the organisation can be its signatory.")})
    if Signatory.objects.filter(organisation=organisation, user=user, status__in=STANDING_SIGNATORY_STATES).exists():
        raise ValidationError(
            {"user": _("%(person)s is already a signatory or awaits verification.") % {"person": user}}
        )
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The authorisation has already run out.")})
    if letter is None:
        raise ValidationError({"letter": _("Attach the authorisation letter (PDF or image).")})
    checked = upload_check(letter)
    signatory = Signatory(
        organisation=organisation,
        user=user,
        capacity=capacity,
        letter_name=letter.name[:200],
        valid_until=valid_until,
        nominated_by=actor,
    )
    signatory.full_clean(exclude=["letter", "organisation", "user", "nominated_by"], validate_constraints=False)
    signatory.letter.save(checked.stored_name, letter, save=False)
    try:
        with transaction.atomic():
            signatory.save()
    except IntegrityError:
        raise ValidationError(
            {"user": _("%(person)s is already a signatory or awaits verification.") % {"person": user}}
        ) from None
    SignatoryEvent.objects.create(signatory=signatory, from_status="", to_status=SS.NOMINATED, actor=actor)
    signatory_status_changed.send(
        sender=Signatory, signatory=signatory, from_status="", to_status=SS.NOMINATED, actor=actor
    )
    return signatory


def _locked_signatory(signatory: Signatory) -> Signatory:
    return Signatory.objects.select_for_update().select_related("organisation", "user").get(pk=signatory.pk)


def _require_centre_staff(signatory: Signatory, actor) -> None:
    if not staff_scope(actor).covers(signatory.organisation.centre_id):
        raise PermissionDenied(
            _("Only staff of the operation centre of %(organisation)s decide on its signatories.")
            % {"organisation": signatory.organisation.name}
        )
    if actor.pk in (signatory.user_id, signatory.nominated_by_id):
        raise PermissionDenied(_("You cannot decide on a nomination that names you or that you made."))


@transaction.atomic
def signatory_verify(*, signatory: Signatory, actor) -> Signatory:
    """Staff of the organisation's centre (or a centre above it) have checked the letter: the person now binds
    the organisation."""
    signatory = _locked_signatory(signatory)
    _require_centre_staff(signatory, actor)
    return signatory_set_status(
        signatory=signatory, to_status=SS.VERIFIED, actor=actor, decided_by=actor, decided_at=timezone.now()
    )


@transaction.atomic
def signatory_refuse(*, signatory: Signatory, actor, reason: str) -> Signatory:
    """Staff turn a nomination down, saying why (the organisation's administrators read it and may nominate
    again with a better letter)."""
    signatory = _locked_signatory(signatory)
    _require_centre_staff(signatory, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the nomination is refused.")})
    return signatory_set_status(
        signatory=signatory,
        to_status=SS.REFUSED,
        actor=actor,
        note=reason,
        decided_by=actor,
        decided_at=timezone.now(),
        refusal_reason=reason[:MAX_REASON_CHARS],
    )


@transaction.atomic
def signatory_revoke(*, signatory: Signatory, actor, reason: str = "") -> Signatory:
    """End a nomination or a signatory's authority: by an administrator of the organisation, by staff of its
    centre, or by the person themselves. From this moment they bind the organisation no more."""
    signatory = _locked_signatory(signatory)
    may = (
        is_organisation_admin(actor, signatory.organisation)
        or staff_scope(actor).covers(signatory.organisation.centre_id)
        or actor.pk == signatory.user_id
    )
    if not may:
        raise PermissionDenied(
            _(
                "Only an administrator of the organisation, staff of its operation centre or the person named may "
                "revoke a signatory."
            )
        )
    reason = reason.strip()
    return signatory_set_status(
        signatory=signatory,
        to_status=SS.REVOKED,
        actor=actor,
        note=reason,
        revoked_by=actor,
        revoked_at=timezone.now(),
        revocation_reason=reason[:MAX_REASON_CHARS],
    )


def memberships_end(*, user) -> int:
    """The person leaves every organisation (their account is closing). What they did for an organisation stays
    with it: listings, negotiations, deals and payments belong to the organisation, not to the person. Their
    standing signatory authorities are revoked on the record (by themselves), so the audit trail says when and why
    they stopped binding the organisation; the API tokens they created are revoked."""
    for signatory in Signatory.objects.filter(user=user, status__in=STANDING_SIGNATORY_STATES):
        signatory_revoke(signatory=signatory, actor=user, reason=_("The account was closed."))
    # The API tokens they created act on their behalf, so they stop too: revoked on the record, by themselves.
    ApiToken.objects.filter(created_by=user, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=user)
    deleted, _by_model = Membership.objects.filter(user=user).delete()
    return deleted


# --- API tokens -------------------------------------------------------------------------------------------------

# "ipx_" and 43 URL-safe characters (32 random bytes): recognisable in a leaked configuration file, unguessable.
API_TOKEN_START = "ipx_"  # noqa: S105 - not a password: the visible start of every token
API_TOKEN_PREFIX_CHARS = 12  # what the list shows: "ipx_" and the secret's first 8 characters
MAX_ACTIVE_API_TOKENS = 10


def api_token_hash(secret: str) -> str:
    """What is stored of a token, and what an incoming one is looked up by."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedApiToken:
    token: ApiToken
    secret: str  # shown to the administrator once, in the answer to their request; stored nowhere


@transaction.atomic
def api_token_create(*, organisation: Organisation, actor, name: str, scopes: list[str]) -> IssuedApiToken:
    """An administrator of the organisation issues a token for one of its own systems. The secret is returned
    here, once; only its hash is kept. At most MAX_ACTIVE_API_TOKENS stand at a time."""
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation may create API tokens."))
    # Two creations at once must not both pass the count below: the organisation's row is the lock.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if ApiToken.objects.filter(organisation=organisation, revoked_at__isnull=True).count() >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            _("An organisation may hold at most %(count)s active API tokens: revoke one it no longer uses first.")
            % {"count": MAX_ACTIVE_API_TOKENS},
            code="too_many_tokens",
        )
    chosen = list(dict.fromkeys(scopes))
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one thing the token may do.")}, code="no_scope")
    if any(scope not in ApiScope.values for scope in chosen):
        raise ValidationError({"scopes": _("Unknown scope.")}, code="unknown_scope")
    secret = API_TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation=organisation,
        name=name.strip(),
        prefix=secret[:API_TOKEN_PREFIX_CHARS],
        secret_hash=api_token_hash(secret),
        scopes=[scope for scope in ApiScope.values if scope in chosen],
        created_by=actor,
    )
    token.full_clean()
    token.save()
    return IssuedApiToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """An administrator of the organisation (or staff of its centre, when a token is misused) revokes a token:
    from the next request on, it is refused. Revoking twice changes nothing (the first revocation is the record)."""
    token = ApiToken.objects.select_for_update().select_related("organisation").get(pk=token.pk)
    if not can_revoke_api_tokens(actor, token.organisation):
        raise PermissionDenied(
            _("Only an administrator of the organisation or staff of its operation centre may revoke its API tokens.")
        )
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token
