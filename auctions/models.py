"""Bidding rounds (挂牌竞价): a listing's mode offered to the highest bidder, deposits, and the ladder of bids.

A round is announced (挂牌期), then open for bids between two instants; the end moves later when a bid arrives
in its last minutes (anti-sniping). The ladder is kept strictly increasing by the database itself: every bid
names the bid it beats, a bid can be beaten by one bid only, and no two bids of a round have the same amount,
so of two bids sent at the same moment against the same price exactly one is stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from listings.models import LicenceType, Listing, Mode


class OneBidderRule(models.TextChoices):
    FAIL = "fail", _("The round fails (no sale)")
    PROCEED = "proceed", _("The round proceeds at the start price")


class CentreAuctionRules(models.Model):
    """What an operation centre requires of the rounds it hosts; a centre without a row uses the settings."""

    centre = models.OneToOneField("centres.OperationCentre", on_delete=models.CASCADE, related_name="auction_rules")
    min_announcement_days = models.PositiveSmallIntegerField(_("minimum announcement period (days)"))
    one_bidder_rule = models.CharField(
        _("when only one bidder qualifies"), max_length=10, choices=OneBidderRule.choices, default=OneBidderRule.FAIL
    )

    class Meta:
        verbose_name = _("auction rules of a centre")
        verbose_name_plural = _("auction rules of centres")

    def __str__(self) -> str:
        return str(self.centre)


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")  # announced or bidding, by the clock
    SOLD = "sold", _("Sold")
    FAILED = "failed", _("No sale")
    CANCELLED = "cancelled", _("Withdrawn")


class FailureReason(models.TextChoices):
    NO_BIDS = "no_bids", _("No bid was made")
    BELOW_RESERVE = "below_reserve", _("The highest bid stayed below the reserve price")
    ONE_BIDDER = "one_bidder", _("Only one bidder qualified")
    NO_DEAL = "no_deal", _("The deal could not be made")


class AuctionRound(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="auction_rounds")
    centre = models.ForeignKey("centres.OperationCentre", on_delete=models.PROTECT, related_name="auction_rounds")
    mode = models.CharField(
        _("mode"), max_length=10, choices=[(Mode.LICENCE, Mode.LICENCE.label), (Mode.TRANSFER, Mode.TRANSFER.label)]
    )
    licence_type = models.CharField(_("licence type"), max_length=20, choices=LicenceType.choices, blank=True)
    territory = models.CharField(_("territory"), max_length=120, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    start_price_fen = models.BigIntegerField(_("start price (fen)"))
    reserve_fen = models.BigIntegerField(_("reserve price (fen)"), null=True, blank=True)
    reserve_shown = models.BooleanField(_("show the reserve price"), default=False)
    increment_fen = models.BigIntegerField(_("minimum increment (fen)"))
    deposit_fen = models.BigIntegerField(_("deposit (fen)"))
    bidding_starts_at = models.DateTimeField(_("bidding starts"))
    bidding_ends_at = models.DateTimeField(_("bidding ends (as announced)"))
    ends_at = models.DateTimeField(_("bidding ends"))  # later than announced after extensions
    extension_minutes = models.PositiveSmallIntegerField(_("extension (minutes)"))
    one_bidder_rule = models.CharField(
        _("when only one bidder qualifies"), max_length=10, choices=OneBidderRule.choices
    )
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    failure_reason = models.CharField(_("why it failed"), max_length=20, choices=FailureReason.choices, blank=True)
    top_bid = models.OneToOneField(
        "Bid", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("highest bid")
    )
    bid_count = models.PositiveIntegerField(default=0)
    price_fen = models.BigIntegerField(_("price reached (fen)"), null=True, blank=True)
    deal = models.OneToOneField(
        "deals.Deal", null=True, blank=True, on_delete=models.PROTECT, related_name="auction_round"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-bidding_starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(start_price_fen__gt=0), name="round_start_price_positive"),
            models.CheckConstraint(condition=Q(increment_fen__gt=0), name="round_increment_positive"),
            models.CheckConstraint(condition=Q(deposit_fen__gt=0), name="round_deposit_positive"),
            models.CheckConstraint(
                condition=Q(reserve_fen__isnull=True) | Q(reserve_fen__gte=models.F("start_price_fen")),
                name="round_reserve_not_below_start",
            ),
            models.CheckConstraint(
                condition=Q(bidding_ends_at__gt=models.F("bidding_starts_at")), name="round_window_positive"
            ),
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("bidding_ends_at")), name="round_end_only_later"),
            # One round at a time per listing and mode.
            models.UniqueConstraint(
                fields=["listing", "mode"], condition=Q(status="open"), name="one_open_round_per_listing_mode"
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.listing} ({self.get_mode_display()})"

    def get_absolute_url(self) -> str:
        return reverse("auctions:detail", args=[self.pk])

    @property
    def next_minimum_fen(self) -> int:
        """The least a new bid may be: the start price, then the current price plus the increment."""
        if self.price_fen is None:
            return self.start_price_fen
        return self.price_fen + self.increment_fen


class DepositStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting payment")
    PAID = "paid", _("Paid: may bid")
    REFUNDED = "refunded", _("Refunded")
    CREDITED = "credited", _("Credited to the price")
    FORFEITED = "forfeited", _("Forfeited")
    CANCELLED = "cancelled", _("Never paid: registration closed")


class Deposit(models.Model):
    """An organisation's registration to bid in a round, qualified once its deposit is paid. The money itself is
    a payments instalment (kind deposit), paid, refunded and credited through the payments app."""

    round = models.ForeignKey(AuctionRound, on_delete=models.PROTECT, related_name="deposits")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    instalment = models.OneToOneField("payments.Instalment", on_delete=models.PROTECT, related_name="auction_deposit")
    # 竞买人 A, B, …: the order in which organisations registered; stable for the whole round.
    pseudonym_index = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=DepositStatus.choices, default=DepositStatus.AWAITING)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "pseudonym_index"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_deposit_per_bidder"),
            models.UniqueConstraint(fields=["round", "pseudonym_index"], name="pseudonym_unique_in_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.organisation_id} ({self.status})"

    @property
    def pseudonym(self) -> str:
        return bidder_pseudonym(self.pseudonym_index)


def bidder_pseudonym(index: int) -> str:
    """竞买人 A … Z, AA, AB …"""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return _("Bidder %(letters)s") % {"letters": letters}


class Bid(models.Model):
    """Stored once, never changed: the database refuses an update (auctions.services writes only inserts)."""

    round = models.ForeignKey(AuctionRound, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    # The least this bid could be when it was placed (start price, or the beaten bid plus the increment).
    minimum_fen = models.BigIntegerField()
    beats = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="beaten_by")
    sequence = models.PositiveIntegerField()
    placed_at = models.DateTimeField()

    class Meta:
        ordering = ["round", "sequence"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=models.F("minimum_fen")), name="bid_at_least_minimum"),
            models.CheckConstraint(condition=Q(minimum_fen__gt=0), name="bid_minimum_positive"),
            models.UniqueConstraint(fields=["round", "sequence"], name="bid_sequence_unique_in_round"),
            models.UniqueConstraint(fields=["round", "amount_fen"], name="no_equal_bids_in_round"),
            models.UniqueConstraint(fields=["round"], condition=Q(beats__isnull=True), name="one_first_bid_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.sequence}: {self.amount_fen}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A bid is stored once and never changed.")
        super().save(*args, **kwargs)


class RoundEventKind(models.TextChoices):
    OPENED = "opened", _("Round opened")
    EXTENDED = "extended", _("Bidding extended")
    SOLD = "sold", _("Sold")
    FAILED = "failed", _("No sale")
    CANCELLED = "cancelled", _("Withdrawn")
    DEPOSIT = "deposit", _("Deposit")
    DEFAULTED = "defaulted", _("Winner walked away")


class RoundEvent(models.Model):
    """The round's audit trail: every status change, extension and deposit decision."""

    round = models.ForeignKey(AuctionRound, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=RoundEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind}"
