"""The "1+X" operation service system: one provincial centre (the root), many operation centres below."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.cities import City
from marketplace.core.languages import shown_text


class CentreKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial IP exchange centre")
    CITY_EXCHANGE = "city_exchange", _("City IP exchange")
    UNIVERSITY = "university", _("University technology-transfer centre")
    INDUSTRY_ALLIANCE = "industry_alliance", _("Industry-alliance operation centre")
    SPECIALISED = "specialised", _("Specialised trading centre")


class OperationCentre(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=CentreKind.choices)
    city = models.CharField(_("city"), max_length=20, choices=City.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Redundant with `parent IS NULL`, kept as a column so the database itself can allow only one root.
    is_root = models.BooleanField(_("provincial centre (root)"), default=False, editable=False)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("operation centre")
        verbose_name_plural = _("operation centres")
        ordering = ["-is_root", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_root"], condition=Q(is_root=True), name="centre_single_root"),
            models.CheckConstraint(
                condition=Q(is_root=True, parent__isnull=True) | Q(is_root=False, parent__isnull=False),
                name="centre_root_iff_no_parent",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="centre_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the reader's language: the English name on the English site where the centre has one."""
        return shown_text(self.name, self.name_en).text


class StaffRole(models.TextChoices):
    BROKER = "broker", _("Broker / technology manager")
    ADMIN = "admin", _("Centre administrator")


class CentreStaff(models.Model):
    """A person working at an operation centre. Staff act on what their centre and its descendants host."""

    centre = models.ForeignKey(OperationCentre, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_roles")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices, default=StaffRole.BROKER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("centre staff member")
        verbose_name_plural = _("centre staff")
        constraints = [models.UniqueConstraint(fields=["centre", "user"], name="centre_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.centre} ({self.get_role_display()})"
