"""Matching drives (精准推送 / 对接活动): an operation centre's staff push chosen listings (one university's idle
patents, say, or a field) to chosen firms, one digest per firm, and then watch what the firms do with them.

A drive keeps what its staff asked for (the criteria, as they were typed) and what they chose (the listing ids);
sending writes the pairs, one row per listing per firm, frozen from then on: the funnel counts from them. A firm
never receives the same listing twice, in this drive or any later one: `DrivePair` is unique per firm and listing
across every drive, so the database itself refuses a repeat.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from listings.models import Listing
from marketplace.centres.models import OperationCentre
from marketplace.organisations.models import Organisation

# Listings one firm's digest holds at most: a digest is read, a catalogue is not (the best matches first).
DEFAULT_LISTINGS_PER_FIRM = 5
MAX_LISTINGS_PER_FIRM = 20
# Listings one drive may push at most: the preview stays a page and the pairing a few seconds.
MAX_LISTINGS_PER_DRIVE = 500


class DriveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class PairReason(models.TextChoices):
    DEMAND_IPC = "demand_ipc", _("Its IPC class answers one of the firm's demands")
    DEMAND_FIELD = "demand_field", _("Its field is that of one of the firm's demands")
    ENQUIRED_FIELD = "enquired_field", _("The firm enquired on listings of this field")
    SAME_CITY = "same_city", _("The seller is in the firm's city")
    CHOSEN = "chosen", _("Chosen by the centre for this drive")


def new_digest_token() -> str:
    return secrets.token_urlsafe(24)


class Drive(models.Model):
    """One matching drive of an operation centre: which listings to which firms, built and sent by its staff."""

    centre = models.ForeignKey(
        OperationCentre, verbose_name=_("operation centre"), on_delete=models.PROTECT, related_name="drives"
    )
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(
        _("message to the firms"),
        blank=True,
        help_text=_("A few words at the top of each firm's digest: who sends it and why."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DriveStatus.choices, default=DriveStatus.DRAFT, db_index=True
    )
    # As the staff chose them on the form (drives.criteria.ListingCriteria / TargetCriteria, as dicts).
    listing_criteria = models.JSONField(_("listing criteria"), default=dict, blank=True)
    target_criteria = models.JSONField(_("target criteria"), default=dict, blank=True)
    # The listings the criteria found that the staff kept, in the order they were found.
    listing_ids = models.JSONField(_("chosen listings"), default=list, blank=True)
    listings_per_firm = models.PositiveSmallIntegerField(
        _("listings per firm, at most"), default=DEFAULT_LISTINGS_PER_FIRM
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("matching drive")
        verbose_name_plural = _("matching drives")
        indexes = [models.Index(fields=["centre", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(listings_per_firm__gte=1) & models.Q(listings_per_firm__lte=MAX_LISTINGS_PER_FIRM),
                name="drive_listings_per_firm_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("drives:detail", args=[self.pk])


class DriveRecipient(models.Model):
    """A firm a drive reached: its one digest, reached through a token (the mail's link) or the workspace."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="drive_digests")
    token = models.CharField(max_length=40, unique=True, default=new_digest_token)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the digest went out (workspace, mail, live push): a task run again skips it.
    delivered_at = models.DateTimeField(null=True, blank=True)
    mailed_to = models.PositiveSmallIntegerField(default=0)
    # The first time someone of the firm (or the mail's link) opened the digest; never moved later.
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("drive digest")
        verbose_name_plural = _("drive digests")
        constraints = [models.UniqueConstraint(fields=["drive", "organisation"], name="drive_one_digest_per_firm")]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.drive} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("drives:digest", args=[self.token])


class DrivePair(models.Model):
    """One listing pushed to one firm, with why it was chosen for that firm."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="pairs")
    recipient = models.ForeignKey(DriveRecipient, on_delete=models.CASCADE, related_name="pairs")
    # The recipient's organisation, again: the constraint below needs it in this table.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="drive_pairs")
    score = models.PositiveSmallIntegerField(default=0)
    # Why this listing for this firm, shown in the reader's language (drives.pairing.reason_text): what matched
    # (a PairReason) and the thing it matched (the demand's title, the IPC code, the field letter).
    reason = models.CharField(_("why this listing"), max_length=20, choices=PairReason.choices)
    reason_detail = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("listing sent to a firm")
        verbose_name_plural = _("listings sent to firms")
        ordering = ["recipient_id", "position"]
        constraints = [
            # "Never the same listing twice": in any drive, ever.
            models.UniqueConstraint(fields=["organisation", "listing"], name="drive_pair_never_twice")
        ]
        indexes = [models.Index(fields=["drive", "listing"])]

    def __str__(self) -> str:
        return f"{self.listing_id} → {self.organisation_id}"
