"""The vocabulary of policy news, shared by the page models and the policy index's filter form."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", pgettext_lazy("policy level", "City")  # 市级, not the 城市 of an address


class PolicyCategory(models.TextChoices):
    PLANNING = "planning", _("Plans and targets")
    OPERATION = "operation", _("IP operation and trading")
    TRANSFER = "transfer", _("Technology transfer")
    FINANCE = "finance", _("IP finance")
    PROTECTION = "protection", _("IP protection")
    REVIEW = "review", _("IP review")
    NAVIGATION = "navigation", _("Patent navigation")
    SERVICES = "services", _("Services and talent")
    NEWS = "news", _("Platform and centre news")
