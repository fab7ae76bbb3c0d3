"""Technology demands (技术需求): what a verified organisation needs, posted so that holders of patents can answer.

A demand is hosted, like a listing, by the operation centre its organisation registered with; that centre's staff
(or staff of a centre above it) moderate it. The kinds of deal it would accept use the listings' mode values
(licence / transfer / equity) plus joint development, which only a demand can ask for.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deals.models import Deal, Negotiation
from listings.models import Listing
from listings.patents.ipc import IPC_SECTIONS
from marketplace.centres.models import OperationCentre
from marketplace.core.cities import City
from marketplace.core.models import StatusEvent
from marketplace.organisations.models import Organisation


class DemandStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class DemandCloseReason(models.TextChoices):
    SOLVED = "solved", _("Solved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DealKind(models.TextChoices):
    # The first three are listings.models.Mode's values, so a demand and a listing can be compared by them.
    LICENCE = "licence", _("Licence")
    TRANSFER = "transfer", _("Transfer")
    EQUITY = "equity", _("Equity contribution")
    JOINT_DEVELOPMENT = "joint_development", _("Joint development")


class ContactPolicy(models.TextChoices):
    OPEN = "open", _("Open: holders may contact the organisation directly")
    BROKER = "broker", _("Through a broker of the hosting centre")


# The technology field is the IPC section, the listings' and the indicators' vocabulary for it. The stored value is
# the letter; pages show its title in the reader's language (listings.ipc_sections.ipc_section_title).
FIELD_CHOICES = [(letter, letter) for letter in IPC_SECTIONS]


class Demand(models.Model):
    """One organisation's technology need (技术需求), hosted by its operation centre."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="demands"
    )
    centre = models.ForeignKey(
        OperationCentre, verbose_name=_("operation centre"), on_delete=models.PROTECT, related_name="demands"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what is needed"),
        help_text=_("The product, the problem and what a solution must achieve, in your own words."),
    )
    # Written by the organisation, never machine-translated (marketplace.core.languages).
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    summary_en = models.TextField(
        _("English summary"), blank=True, help_text=_("Optional. Shown to visitors who read the site in English.")
    )
    field = models.CharField(_("technology field"), max_length=1, choices=FIELD_CHOICES, db_index=True)
    # IPC codes or leading parts of them ("H01M", "H01M 4/"), normalised by listings.patents.ipc.parse_ipc_prefix.
    ipc_codes = models.JSONField(_("IPC classes"), default=list, blank=True)
    # The kinds of deal it would accept: one column each, so the public filter is a plain WHERE on any database.
    accepts_licence = models.BooleanField(_("accepts a licence"), default=False)
    accepts_transfer = models.BooleanField(_("accepts a transfer"), default=False)
    accepts_equity = models.BooleanField(_("accepts an equity contribution"), default=False)
    accepts_joint_development = models.BooleanField(_("accepts joint development"), default=False)
    budget_min_fen = models.BigIntegerField(_("budget from (fen)"), null=True, blank=True)
    budget_max_fen = models.BigIntegerField(_("budget up to (fen)"), null=True, blank=True)
    city = models.CharField(_("region"), max_length=20, choices=City.choices, db_index=True)
    deadline = models.DateField(_("deadline"), help_text=_("The last day the demand stays open."))
    contact_policy = models.CharField(
        _("contact"), max_length=10, choices=ContactPolicy.choices, default=ContactPolicy.OPEN
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.DRAFT, db_index=True
    )
    close_reason = models.CharField(_("close reason"), max_length=20, choices=DemandCloseReason.choices, blank=True)
    # The deal that solved it, named by the organisation when it closes the demand as solved (a deal in which it is
    # the buyer). Optional: a demand may be solved off the platform too.
    solved_by_deal = models.ForeignKey(
        Deal,
        verbose_name=_("solved by the deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="solved_demands",
    )
    moderation_note = models.TextField(_("moderation feedback"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(budget_min_fen__isnull=True) | Q(budget_min_fen__gte=0))
                & (Q(budget_max_fen__isnull=True) | Q(budget_max_fen__gte=0)),
                name="demand_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget_min_fen__isnull=True)
                | Q(budget_max_fen__isnull=True)
                | Q(budget_min_fen__lte=models.F("budget_max_fen")),
                name="demand_budget_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(close_reason=""),
                name="demand_close_reason_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(solved_by_deal__isnull=True) | Q(status="closed", close_reason="solved"),
                name="demand_solved_deal_only_when_solved",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])

    @property
    def deal_kinds(self) -> list[str]:
        """The accepted kinds of deal, as DealKind values in the choices' order."""
        return [kind for kind in DealKind.values if getattr(self, f"accepts_{kind}")]

    @property
    def deal_kind_labels(self) -> list[str]:
        return [str(DealKind(kind).label) for kind in self.deal_kinds]

    @property
    def is_public(self) -> bool:
        return self.status == DemandStatus.PUBLISHED


DEAL_KIND_FIELDS = {kind: f"accepts_{kind}" for kind in DealKind.values}


class DemandEvent(StatusEvent):
    """The audit trail of a demand: every status move, who made it, and why."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DemandStatus.choices)

    def __str__(self) -> str:
        return f"{self.demand_id}: {super().__str__()}"


class AnswerRole(models.TextChoices):
    MEMBER = "member", _("A member of the seller")
    BROKER = "broker", _("A broker for the seller")


class DemandAnswer(models.Model):
    """A seller's answer to a published demand: some of its published listings and a short message. Written by a
    member of the seller, or by a broker of a centre that hosts the seller's listings, acting for it. Seen by the
    demand's organisation, the seller and the centres' staff, never by the public."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="demand_answers"
    )
    message = models.TextField(_("message"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_as = models.CharField(_("answered as"), max_length=10, choices=AnswerRole.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a demand")
        verbose_name_plural = _("answers to demands")
        ordering = ["demand", "created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.demand_id}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class AnsweredListing(models.Model):
    """One listing offered in an answer, and the negotiation the demand's organisation opened from it (so that a
    deal can be traced back to the answer that brought it)."""

    answer = models.ForeignKey(DemandAnswer, on_delete=models.CASCADE, related_name="answered_listings")
    # The answer's demand, copied so that the database itself holds "one answer per demand and listing".
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, verbose_name=_("listing"), on_delete=models.PROTECT, related_name="+")
    # False once the answer is withdrawn: the seller may then answer with the listing again.
    active = models.BooleanField(default=True)
    negotiation = models.ForeignKey(
        Negotiation,
        verbose_name=_("negotiation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demand_answers",
    )
    negotiation_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answered listing")
        verbose_name_plural = _("answered listings")
        ordering = ["answer", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "listing"], condition=Q(active=True), name="demand_answer_one_per_listing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.listing_id}"
