"""Zhejiang's 11 prefecture-level cities, the geographic dimension of listings and indicators."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class City(models.TextChoices):
    # Values are stable slugs; the GB/T 2260 code of each is in CITY_REGION_CODES.
    HANGZHOU = "hangzhou", _("Hangzhou")
    NINGBO = "ningbo", _("Ningbo")
    WENZHOU = "wenzhou", _("Wenzhou")
    JIAXING = "jiaxing", _("Jiaxing")
    HUZHOU = "huzhou", _("Huzhou")
    SHAOXING = "shaoxing", _("Shaoxing")
    JINHUA = "jinhua", _("Jinhua")
    QUZHOU = "quzhou", _("Quzhou")
    ZHOUSHAN = "zhoushan", _("Zhoushan")
    TAIZHOU = "taizhou", _("Taizhou")
    LISHUI = "lishui", _("Lishui")


CITY_REGION_CODES = {
    City.HANGZHOU: "330100",
    City.NINGBO: "330200",
    City.WENZHOU: "330300",
    City.JIAXING: "330400",
    City.HUZHOU: "330500",
    City.SHAOXING: "330600",
    City.JINHUA: "330700",
    City.QUZHOU: "330800",
    City.ZHOUSHAN: "330900",
    City.TAIZHOU: "331000",
    City.LISHUI: "331100",
}
