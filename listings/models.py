"""Patents and the listings that offer them for licence, transfer or equity."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from listings.patents import terms as patent_terms
from marketplace.centres.models import OperationCentre
from marketplace.core.models import StatusEvent
from marketplace.organisations.models import Organisation


class PatentType(models.TextChoices):
    INVENTION = "invention", _("Invention")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design")


class LegalStatus(models.TextChoices):
    PUBLISHED = patent_terms.LegalStatus.PUBLISHED, _("Published (pending)")
    EXAMINATION = patent_terms.LegalStatus.EXAMINATION, _("Under substantive examination")
    GRANTED = patent_terms.LegalStatus.GRANTED, _("Granted, in force")
    EXPIRED = patent_terms.LegalStatus.EXPIRED, _("Expired")
    LAPSED_FEE = patent_terms.LegalStatus.LAPSED_FEE, _("Terminated: annual fee unpaid")
    WITHDRAWN = patent_terms.LegalStatus.WITHDRAWN, _("Withdrawn")
    DEEMED_WITHDRAWN = patent_terms.LegalStatus.DEEMED_WITHDRAWN, _("Deemed withdrawn")
    REJECTED = patent_terms.LegalStatus.REJECTED, _("Rejected")
    ABANDONED = patent_terms.LegalStatus.ABANDONED, _("Abandoned")
    DEEMED_ABANDONED = patent_terms.LegalStatus.DEEMED_ABANDONED, _("Deemed abandoned")
    REVOKED = patent_terms.LegalStatus.REVOKED, _("Revoked")
    INVALIDATED = patent_terms.LegalStatus.INVALIDATED, _("Invalidated")


class Patent(models.Model):
    """A Chinese patent or application, keyed by its normalised application number (e.g. 201710601862.3)."""

    application_number = models.CharField(_("application number"), max_length=20, unique=True)
    patent_type = models.CharField(_("patent type"), max_length=20, choices=PatentType.choices)
    is_pct = models.BooleanField(_("PCT national phase"), default=False)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)
    first_claim = models.TextField(_("first claim"), blank=True)
    # All IPC codes, normalised ("H01M 4/525"), the main one first; the main one's parts are columns for filters.
    ipc_codes = models.JSONField(_("IPC codes"), default=list)
    main_ipc = models.CharField(_("main IPC code"), max_length=20, blank=True)
    ipc_section = models.CharField(_("IPC section"), max_length=1, blank=True, db_index=True)
    ipc_class = models.CharField(_("IPC class"), max_length=3, blank=True, db_index=True)
    filing_date = models.DateField(_("filing date"))
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=20, choices=LegalStatus.choices)
    expiry_date = models.DateField(_("expiry date"), editable=False, db_index=True)
    # Applicants as printed on the patent; those on the platform are also linked.
    applicant_names = models.JSONField(_("applicants"), default=list)
    applicants = models.ManyToManyField(Organisation, blank=True, related_name="patents", verbose_name=_("applicants"))
    inventors = models.JSONField(_("inventors"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("patent")
        verbose_name_plural = _("patents")

    def __str__(self) -> str:
        return f"{self.application_number} {self.title}"

    def save(self, *args, **kwargs):
        self.expiry_date = patent_terms.patent_expiry(self.patent_type, self.filing_date)
        if self.main_ipc:
            self.ipc_section, self.ipc_class = self.main_ipc[0], self.main_ipc[:3]
        super().save(*args, **kwargs)

    @property
    def display_number(self) -> str:
        prefix = "ZL" if self.legal_status == LegalStatus.GRANTED else "CN"
        return f"{prefix}{self.application_number}"

    def remaining_term(self, today: date | None = None) -> patent_terms.RemainingTerm:
        return patent_terms.remaining_term(self.patent_type, self.filing_date, today or date.today())

    @property
    def is_pending(self) -> bool:
        return self.legal_status in patent_terms.PENDING

    @property
    def is_in_force(self) -> bool:
        return self.legal_status in patent_terms.IN_FORCE


class EncumbranceKind(models.TextChoices):
    PLEDGE = "pledge", _("Pledge (质押)")
    EXCLUSIVE_LICENCE = "exclusive_licence", _("Exclusive licence granted")
    SOLE_LICENCE = "sole_licence", _("Sole licence granted")
    TRANSFER = "transfer", _("Transferred")


class PatentEncumbrance(models.Model):
    """A registered right over a patent that limits what may be offered: a pledge, an exclusive or sole
    licence already granted, or a transfer. The IP review (知识产权评议) checks these before a listing goes live.
    """

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="encumbrances")
    kind = models.CharField(_("kind"), max_length=20, choices=EncumbranceKind.choices)
    counterparty = models.CharField(_("counterparty"), max_length=200, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("patent encumbrance")
        verbose_name_plural = _("patent encumbrances")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.patent.application_number}"


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class CloseReason(models.TextChoices):
    TRANSFERRED = "transferred", _("Transferred")
    EXCLUSIVELY_LICENSED = "exclusively_licensed", _("Exclusively licensed")


class Maturity(models.TextChoices):
    CONCEPT = "concept", _("Concept / principle verified")
    LAB = "lab", _("Laboratory prototype")
    PILOT = "pilot", _("Pilot / field tested")
    SMALL_BATCH = "small_batch", _("Small-batch production")
    MASS_PRODUCTION = "mass_production", _("Mass production")


class Listing(models.Model):
    """One patent, or a portfolio of several (专利包), offered by a seller and hosted by an operation centre."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("plain-language summary"),
        help_text=_("What the technology does and for whom, for a reader who is not a patent expert."),
    )
    # Written by the seller (or imported), never machine-translated: the English site shows them where they exist
    # and marks the Chinese text as Chinese where they do not.
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    summary_en = models.TextField(
        _("English summary"), blank=True, help_text=_("Optional. Shown to visitors who read the site in English.")
    )
    seller = models.ForeignKey(
        Organisation, verbose_name=_("seller"), on_delete=models.PROTECT, related_name="listings"
    )
    centre = models.ForeignKey(
        OperationCentre, verbose_name=_("operation centre"), on_delete=models.PROTECT, related_name="listings"
    )
    patents = models.ManyToManyField(Patent, through="ListingPatent", related_name="listings")
    status = models.CharField(
        _("status"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.DRAFT, db_index=True
    )
    close_reason = models.CharField(_("close reason"), max_length=30, choices=CloseReason.choices, blank=True)
    asking_price_fen = models.BigIntegerField(_("asking price (fen)"), null=True, blank=True)
    price_negotiable = models.BooleanField(_("price negotiable"), default=True)
    maturity = models.CharField(_("technology maturity"), max_length=20, choices=Maturity.choices, blank=True)
    application_fields = models.CharField(
        _("application fields"), max_length=300, blank=True, help_text=_("Industries and products it serves.")
    )
    comparison = models.TextField(
        _("compared with what buyers use today"),
        blank=True,
        help_text=_("What it does better, and by how much."),
    )
    moderation_note = models.TextField(_("moderation feedback"), blank=True)
    review = models.JSONField(_("IP review"), default=dict, blank=True)
    quality_score = models.PositiveSmallIntegerField(_("quality score"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["seller", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(asking_price_fen__isnull=True) | Q(asking_price_fen__gte=0),
                name="listing_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(close_reason=""),
                name="listing_close_reason_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("listings:detail", args=[self.pk])

    @property
    def is_on_market(self) -> bool:
        return self.status == ListingStatus.PUBLISHED


class ListingPatent(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="listing_patents")
    patent = models.ForeignKey(Patent, on_delete=models.PROTECT, related_name="listing_patents")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["listing", "patent"], name="listing_patent_unique")]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.patent_id}"


class Mode(models.TextChoices):
    LICENCE = "licence", _("Licence")
    TRANSFER = "transfer", _("Transfer")
    EQUITY = "equity", _("Equity contribution")


class LicenceType(models.TextChoices):
    EXCLUSIVE = "exclusive", _("Exclusive licence")
    SOLE = "sole", _("Sole licence")
    ORDINARY = "ordinary", _("Ordinary (non-exclusive) licence")


class ListingTerms(models.Model):
    """The terms a listing offers for one mode. A mode closes (is_open=False) when it cannot be dealt again."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="terms")
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    is_open = models.BooleanField(_("open"), default=True)
    # Licence
    licence_types = models.JSONField(_("licence types"), default=list, blank=True)
    territory = models.CharField(_("territory"), max_length=120, blank=True)
    field_of_use = models.CharField(_("field of use"), max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    upfront_fee_fen = models.BigIntegerField(_("upfront fee (fen)"), null=True, blank=True)
    royalty_rate = models.DecimalField(_("royalty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    # Transfer
    price_fen = models.BigIntegerField(_("transfer price (fen)"), null=True, blank=True)
    # Equity
    appraised_value_fen = models.BigIntegerField(_("appraised value (fen)"), null=True, blank=True)
    # Express licence: an ordinary licence on exactly these terms, which a buyer can accept in one step.
    express_ordinary = models.BooleanField(_("standard terms for an ordinary licence (express licence)"), default=False)

    class Meta:
        verbose_name = _("listing terms")
        verbose_name_plural = _("listing terms")
        ordering = ["listing", "mode"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "mode"], name="listing_terms_one_per_mode"),
            models.CheckConstraint(
                condition=(Q(upfront_fee_fen__isnull=True) | Q(upfront_fee_fen__gte=0))
                & (Q(price_fen__isnull=True) | Q(price_fen__gte=0))
                & (Q(appraised_value_fen__isnull=True) | Q(appraised_value_fen__gte=0)),
                name="listing_terms_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(royalty_rate__isnull=True) | (Q(royalty_rate__gte=0) & Q(royalty_rate__lte=100)),
                name="listing_terms_royalty_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.get_mode_display()}"


class ListingBenefit(models.Model):
    """A benefit in numbers: "energy density 300 Wh/kg, against 250 in today's cells"."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="benefits")
    metric = models.CharField(_("what is measured"), max_length=100)
    value = models.CharField(_("value"), max_length=40)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    baseline = models.CharField(_("what buyers use today"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value}{self.unit}"


def attachment_path(instance: "ListingAttachment", filename: str) -> str:
    return f"listings/{instance.listing_id}/{filename}"


class ListingAttachment(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Confidential: everyone sees that it exists (name, size); its content goes only to the seller, the hosting
    # centre's staff and members of an organisation that accepted the listing's current NDA text.
    confidential = models.BooleanField(_("confidential (NDA required)"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ListingNda(models.Model):
    """One version of a listing's own NDA text. Never edited: a change is a new version, so an acceptance always
    points at the words that were accepted. A blank text means the platform's default agreement (listings.nda)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="nda_versions")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("NDA text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("NDA text")
        verbose_name_plural = _("NDA texts")
        ordering = ["listing", "-version"]
        constraints = [models.UniqueConstraint(fields=["listing", "version"], name="listing_nda_version_unique")]

    def __str__(self) -> str:
        return f"{self.listing_id} v{self.version}"


class NdaAcceptance(models.Model):
    """A click-through acceptance of a listing's NDA, by a member on behalf of the organisation: the exact text
    (its version label, digest and words), who, for which organisation, when and from which address."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="nda_acceptances")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="nda_acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.CharField(_("NDA version"), max_length=40)
    text_sha256 = models.CharField(_("text digest (SHA-256)"), max_length=64)
    text = models.TextField(_("accepted text"))
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("NDA acceptance")
        verbose_name_plural = _("NDA acceptances")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            # One acceptance per organisation and text: a second click by a colleague changes nothing.
            models.UniqueConstraint(
                fields=["listing", "organisation", "text_sha256"], name="nda_acceptance_once_per_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.listing_id} / {self.version}"


class ConfidentialDownload(models.Model):
    """Every download of a confidential document, for the seller to see: who, for which organisation, when, from
    where, and under which acceptance (none for the seller's own members and the hosting centre's staff)."""

    attachment = models.ForeignKey(ListingAttachment, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acceptance = models.ForeignKey(
        NdaAcceptance, null=True, blank=True, on_delete=models.PROTECT, related_name="downloads"
    )
    downloaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("confidential download")
        verbose_name_plural = _("confidential downloads")
        ordering = ["-downloaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.attachment_id} by {self.user_id}"


class ListingEvent(StatusEvent):
    """The audit trail of a listing: every status move, who made it, and why."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ListingStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ListingStatus.choices)

    def __str__(self) -> str:
        return f"{self.listing_id}: {super().__str__()}"
