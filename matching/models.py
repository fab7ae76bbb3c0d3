"""Two-way matching of technology demands (demands app) and patent listings (listings app).

A `Match` is one pair that `matching.scoring` scored at or above the shown threshold, found from either side: a
demand's refresh keeps its best N families of listings ("patents that may answer this need"), a listing's refresh its
best N demands ("firms that need this"). The score is a property of the pair, the same from both directions, so either
side's refresh may rewrite it; a pair that falls below the threshold, or whose demand or listing leaves the site, is
deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from demands.models import Demand
from listings.models import Listing


class Match(models.Model):
    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="matches")
    listing = models.ForeignKey(Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(_("score"))
    # Why they match, in data the pages put into words: {"ipc": [...], "words": [...], "concepts": [...],
    # "same_region": bool, "same_field": bool, "similar_listings": int}.
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["demand", "listing"], name="match_one_per_pair")]
        indexes = [models.Index(fields=["demand", "-score"]), models.Index(fields=["listing", "-score"])]

    def __str__(self) -> str:
        return f"{self.demand_id} ↔ {self.listing_id}: {self.score:.2f}"


class DemandProfile(models.Model):
    """What matching looks for in listings on behalf of one demand, kept so that a listing's publication is
    scored against every open demand without segmenting their texts again (matching.scoring.DemandTerms)."""

    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, primary_key=True, related_name="match_profile")
    terms = models.JSONField(default=list)  # [[term, weight], ...]
    concepts = models.JSONField(default=list)  # names of the vocabulary concepts the demand's words called up
    ipc_prefixes = models.JSONField(default=list)
    text = models.TextField(blank=True)  # the demand's normalised title and description
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"profile of demand {self.demand_id}"


class Frequency(models.TextChoices):
    OFF = "off", pgettext_lazy("match notifications", "Off")
    DAILY = "daily", _("Daily digest")
    LIVE = "live", _("As they are found")


class MatchPreference(models.Model):
    """How a person wants to hear of new matches for their organisations' demands and listings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="match_preference"
    )
    frequency = models.CharField(_("new matches"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)

    class Meta:
        verbose_name = _("match notification preference")
        verbose_name_plural = _("match notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class Audience(models.TextChoices):
    DEMAND = "demand", _("the demand's organisation")
    LISTING = "listing", _("the listing's seller")


class MatchNotice(models.Model):
    """One person told (or to be told) of one pair: unique, so the same match is never announced twice, even when
    it leaves the top N and comes back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_notices")
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)  # the preference when it was found
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "demand", "listing"], name="match_notice_once_per_person")
        ]
        indexes = [models.Index(fields=["frequency", "mailed_at"]), models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.demand_id} ↔ {self.listing_id}"
