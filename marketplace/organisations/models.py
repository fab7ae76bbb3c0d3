from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.centres.models import OperationCentre
from marketplace.core.cities import City
from marketplace.core.models import StatusEvent
from marketplace.organisations.validators import validate_credit_code_field


class OrganisationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Service agency")
    FINANCIAL = "financial", _("Financial institution")


class EnterpriseSize(models.TextChoices):
    """The size classes of the National Bureau of Statistics (《统计上大中小微型企业划分办法（2017）》,
    国统字〔2017〕213号), which set them per industry by employees and revenue. A firm states its own class, as it
    does on public support applications; centres target small firms with it (matching drives)."""

    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium-sized enterprise")
    LARGE = "large", _("Large enterprise")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code_field],
        help_text=_("18 characters, as on the business licence or registration certificate."),
    )
    city = models.CharField(_("city"), max_length=20, choices=City.choices)
    size = models.CharField(
        _("enterprise size"),
        max_length=10,
        choices=EnterpriseSize.choices,
        blank=True,
        help_text=_(
            "Enterprises only: the class of the National Bureau of Statistics for its industry (by employees and "
            "revenue)."
        ),
    )
    # As registered (住所), the address a contract names for the party.
    address = models.CharField(_("registered address"), max_length=300, blank=True)
    # The operation centre the organisation registered with: its staff verify it and serve it.
    centre = models.ForeignKey(
        OperationCentre,
        verbose_name=_("operation centre"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["centre", "verified"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="enterprise") | models.Q(size=""), name="organisation_size_only_of_enterprises"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class SignatoryCapacity(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative (法定代表人)")
    AUTHORISED = "authorised", _("Authorised representative (授权代表)")


class SignatoryStatus(models.TextChoices):
    NOMINATED = "nominated", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


# While a nomination is in one of these states it stands: a person has at most one per organisation.
STANDING_SIGNATORY_STATES = (SignatoryStatus.NOMINATED, SignatoryStatus.VERIFIED)


def signatory_letter_path(instance: "Signatory", filename: str) -> str:
    return f"organisations/{instance.organisation_id}/signatories/{filename}"


class Signatory(models.Model):
    """A member whom the organisation names to bind it: to accept terms, sign contracts and commit its money.

    An administrator of the organisation nominates the person with the evidence (the authorisation letter
    授权委托书, or for the legal representative the certificate 法定代表人身份证明书); staff of the organisation's
    operation centre verify or refuse it. Only a verified signatory binds the organisation; a nomination ends
    refused or revoked, never edited away (a new one is a new row), so the record shows who could sign when."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signatories")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatory_roles")
    capacity = models.CharField(_("capacity"), max_length=30, choices=SignatoryCapacity.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=SignatoryStatus.choices, default=SignatoryStatus.NOMINATED, db_index=True
    )
    letter = models.FileField(_("authorisation letter"), upload_to=signatory_letter_path)
    letter_name = models.CharField(_("file name"), max_length=200)
    # An authorisation letter often runs for a stated period; past it the person no longer binds anyone.
    valid_until = models.DateField(_("authorised until"), null=True, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["organisation", "-nominated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status__in=["nominated", "verified"]),
                name="signatory_one_standing_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_status_display()})"


class SignatoryEvent(StatusEvent):
    """The audit trail of signatories: every nomination, verification, refusal and revocation."""

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=SignatoryStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SignatoryStatus.choices)

    def __str__(self) -> str:
        return f"{self.signatory_id}: {super().__str__()}"


# --- API tokens: an organisation's own systems on the open API ------------------------------------------------


class ApiScope(models.TextChoices):
    LISTINGS_WRITE = "listings:write", _("Write listings (create, edit, submit, withdraw, close)")
    DEMANDS_WRITE = "demands:write", _("Write technology demands (create, edit, submit, close)")
    READ = "read", _("Read the organisation's own listings and demands, in every status")


class ApiToken(models.Model):
    """A secret an organisation's own system (a university's patent database, a firm's ERP) sends as
    ``Authorization: Bearer <token>`` to keep its listings and demands in step through the open API.

    Only the SHA-256 of the secret is stored: the secret is shown once, when an administrator creates the token,
    and can never be read again (a lost one is revoked and replaced). `prefix` is the token's first characters, so
    people can tell their tokens apart in the list and in their own configuration. A token acts as a member of
    its organisation, nothing more (marketplace.organisations.api_auth.token_actor), on behalf of the person who
    created it: the audit trail of what it does names them. It stops working when revoked, or when that person
    leaves the organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. 'patent database'."))
    prefix = models.CharField(_("prefix"), max_length=20, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.name} ({self.organisation})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        return [str(ApiScope(scope).label) for scope in self.scopes if scope in ApiScope.values]


class ApiIdempotencyKey(models.Model):
    """A create sent with an ``Idempotency-Key`` header, and the answer it got: the same key again (a system
    retrying after a lost answer) gets the same answer, and nothing is created twice. Keys are the organisation's
    (any of its tokens may retry) and are forgotten after IDEMPOTENCY_KEY_HOURS."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # What the key was first used for (method, path and body, hashed): the same key for another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="api_idempotency_key_unique_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.key}"
