import functools
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    """People sign in with their e-mail address; the username is kept equal to it for Wagtail and admin."""

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        return super()._create_user(email, email, password, **extra_fields)

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_superuser(email, email, password, **extra_fields)


DEFAULT_TIME_ZONE = settings.TIME_ZONE


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA zones this machine knows, sorted (read from disk once: there are several hundred)."""
    return tuple(sorted(available_timezones()))


def validate_time_zone(name: str) -> None:
    if name not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list."), code="time_zone")


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Every time the person reads is in this zone (marketplace.core.middleware.ViewerTimeZoneMiddleware).
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    # Set when the person closed their account (accounts.services.account_close): the row stays, because deals,
    # contracts and payments they took part in must be kept, but it no longer says who they were.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # Every page, room and history names people through this: a closed account shows as closed, in the
        # reader's language, wherever the records it left are kept.
        if self.closed_at is not None:
            return gettext("Closed account")
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        # Django's admin and Wagtail still read `username`; keep it the e-mail so there is one identity.
        self.username = self.email
        super().save(*args, **kwargs)


class PrivacyConsent(models.Model):
    """A person's agreement to one version of the privacy notice (settings.PRIVACY_NOTICE_VERSION), with when
    and from where: the evidence PIPL asks a handler to be able to show. Kept when the account is closed."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="privacy_consents")
    notice_version = models.CharField(_("privacy notice version"), max_length=40)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ["-accepted_at", "-id"]
        indexes = [models.Index(fields=["user", "-accepted_at"], name="privacy_consent_latest")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.notice_version} {self.accepted_at:%Y-%m-%d}"


class SecondFactorEventKind(models.TextChoices):
    ENROLLED = "enrolled", _("Authenticator app set up")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Recovery codes replaced")
    RESET = "reset", _("Second factor reset")


class SecondFactorEvent(models.Model):
    """One change to a person's second factor, and who made it: a row of an audit trail, never edited. A reset
    by staff names the staff member as actor; a person's own changes name that person."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_events")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("what happened"), max_length=30, choices=SecondFactorEventKind.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("second-factor event")
        verbose_name_plural = _("second-factor events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"
