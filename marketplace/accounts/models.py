from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        # Django's admin and Wagtail still read `username`; keep it the e-mail so there is one identity.
        self.username = self.email
        super().save(*args, **kwargs)


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
