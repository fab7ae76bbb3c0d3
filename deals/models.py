"""Negotiations (enquiry → live room → versioned term sheets) and the deals they produce."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from listings.models import LicenceType, Listing, Mode, Patent
from marketplace.centres.models import OperationCentre
from marketplace.core.models import StatusEvent
from marketplace.organisations.models import Organisation


class NegotiationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AGREED = "agreed", _("Agreed")
    PASSED = "passed", _("Ended by the buyer")
    DECLINED = "declined", _("Ended by the seller")
    SUPERSEDED = "superseded", _("Closed: the mode was dealt elsewhere")


class PassReason(models.TextChoices):
    PRICE = "price", _("Price")
    MATURITY = "maturity", _("Technology maturity")
    FIT = "fit", _("Not a fit for our products")
    TERMS = "terms", _("Terms")
    OTHER = "other", _("Other")


class Negotiation(models.Model):
    """Opened by a buyer's enquiry on one mode of a published listing; buyer, seller and a broker of the
    hosting centre take part. Enquiring is always free: nothing here can ask for a fee."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="negotiations")
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    buyer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="negotiations_as_buyer")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="brokered_negotiations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NegotiationStatus.choices, default=NegotiationStatus.OPEN, db_index=True
    )
    pass_reason = models.CharField(_("reason"), max_length=20, choices=PassReason.choices, blank=True)
    pass_reason_text = models.CharField(_("reason in words"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")
        constraints = [
            # One open negotiation per buyer, listing and mode: a second enquiry returns to the first room.
            models.UniqueConstraint(
                fields=["listing", "mode", "buyer"], condition=Q(status="open"), name="negotiation_one_open_per_buyer"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.listing} · {self.get_mode_display()} · {self.buyer}"

    @property
    def seller(self) -> Organisation:
        return self.listing.seller

    @property
    def centre(self) -> OperationCentre:
        return self.listing.centre


class Side(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SELLER = "seller", _("Seller")
    BROKER = "broker", _("Broker")


class PaymentMode(models.TextChoices):
    # As in the patent-licence contract filing (专利实施许可合同备案).
    FIXED = "fixed", _("Fixed sum")
    ROYALTY = "royalty", _("Royalty")
    FREE = "free", _("Free")


class RoyaltyBase(models.TextChoices):
    # What the royalty rate is a percentage of: the bases the Civil Code names for a royalty (art. 846: product
    # price, new output value, profit or sales of products); the licensee reports this figure each period.
    NET_SALES = "net_sales", _("Net sales revenue of licensed products")
    SALES = "sales", _("Sales revenue of licensed products")
    NEW_OUTPUT = "new_output", _("New output value from exploiting the patents")
    PROFIT = "profit", _("Profit from exploiting the patents")


class RoyaltyPeriod(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class DisputeResolution(models.TextChoices):
    # A dispute goes either to arbitration or to a court, never both (Arbitration Law art. 5): the contract names
    # one. "court" leaves the court to the law (Civil Procedure Law art. 24: the defendant's domicile or the place
    # of performance).
    COURT = "court", _("The people's court with jurisdiction under the law")
    COURT_SELLER = "court_seller", _("The people's court where Party A (the licensor or seller) is domiciled")
    COURT_BUYER = "court_buyer", _("The people's court where Party B (the licensee or buyer) is domiciled")
    ARBITRATION = "arbitration", _("Arbitration by a named arbitration commission")


class OfferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by both sides")
    # "Rejected" alone is also a patent's legal status (驳回); an offer is turned down (拒绝).
    REJECTED = "rejected", pgettext_lazy("offer status", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Superseded by a later version")


class Offer(models.Model):
    """One version of the term sheet. A counter-offer is a new version; the proposer's side has accepted
    its own version by proposing it, and a deal exists once the other side accepts the same version."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="offers")
    version = models.PositiveIntegerField(_("version"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("proposed by"), max_length=10, choices=Side.choices)
    status = models.CharField(_("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.PROPOSED)
    # Each side's acceptance, by one of its verified signatories: a version proposed by a member who is not a
    # signatory waits for its own side's signatory as well as for the other side's.
    buyer_accepted_at = models.DateTimeField(null=True, blank=True)
    seller_accepted_at = models.DateTimeField(null=True, blank=True)
    buyer_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seller_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Licence
    licence_type = models.CharField(_("licence type"), max_length=20, choices=LicenceType.choices, blank=True)
    territory = models.CharField(_("territory"), max_length=120, blank=True)
    field_of_use = models.CharField(_("field of use"), max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    upfront_fee_fen = models.BigIntegerField(_("upfront fee (fen)"), null=True, blank=True)
    royalty_rate = models.DecimalField(_("royalty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    minimum_annual_royalty_fen = models.BigIntegerField(_("minimum annual royalty (fen)"), null=True, blank=True)
    payment_mode = models.CharField(_("payment mode"), max_length=10, choices=PaymentMode.choices, blank=True)
    royalty_base = models.CharField(_("royalty base"), max_length=20, choices=RoyaltyBase.choices, blank=True)
    royalty_period = models.CharField(
        _("royalty reporting period"), max_length=20, choices=RoyaltyPeriod.choices, blank=True
    )
    # Transfer
    price_fen = models.BigIntegerField(_("price (fen)"), null=True, blank=True)
    instalments = models.PositiveSmallIntegerField(_("instalments"), null=True, blank=True)
    # Equity
    appraised_value_fen = models.BigIntegerField(_("appraised value (fen)"), null=True, blank=True)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    receiving_company = models.CharField(_("receiving company"), max_length=200, blank=True)
    # Every mode
    dispute_resolution = models.CharField(
        _("dispute resolution"), max_length=20, choices=DisputeResolution.choices, default=DisputeResolution.COURT
    )
    arbitration_commission = models.CharField(_("arbitration commission"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["negotiation", "version"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "version"], name="offer_version_unique"),
            models.CheckConstraint(
                condition=(Q(upfront_fee_fen__isnull=True) | Q(upfront_fee_fen__gte=0))
                & (Q(price_fen__isnull=True) | Q(price_fen__gte=0))
                & (Q(appraised_value_fen__isnull=True) | Q(appraised_value_fen__gte=0))
                & (Q(minimum_annual_royalty_fen__isnull=True) | Q(minimum_annual_royalty_fen__gte=0)),
                name="offer_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.negotiation_id} v{self.version}"


class MessageKind(models.TextChoices):
    TEXT = "text", _("Message")
    OFFER = "offer", _("Offer")
    EVENT = "event", _("Status change")


class NegotiationMessage(models.Model):
    """The persisted history of the room: messages, offers and status changes, in order."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    kind = models.CharField(max_length=10, choices=MessageKind.choices, default=MessageKind.TEXT)
    body = models.TextField()
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.negotiation_id}: {self.body[:30]}"


class ReadMark(models.Model):
    """How far a participant has read a negotiation: the basis of unread counts."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["negotiation", "user"], name="read_mark_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.negotiation_id} to {self.last_read_message_id}"


class DealStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    CONTRACT_SIGNED = "contract_signed", _("Contract signed")
    REGISTERED = "registered", _("Contract registered")
    SETTLED = "settled", _("Settled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Deal(models.Model):
    """A deal exists when both sides accepted the same term-sheet version (or a buyer took express terms)."""

    negotiation = models.OneToOneField(Negotiation, on_delete=models.PROTECT, related_name="deal")
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="deal")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="deals")
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    licence_type = models.CharField(_("licence type"), max_length=20, choices=LicenceType.choices, blank=True)
    buyer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deals_as_buyer")
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deals_as_seller")
    centre = models.ForeignKey(OperationCentre, on_delete=models.PROTECT, related_name="deals")
    status = models.CharField(
        _("status"), max_length=20, choices=DealStatus.choices, default=DealStatus.AGREED, db_index=True
    )
    # Who signed for each side (a verified signatory of that organisation at the time) and when.
    buyer_signed_at = models.DateTimeField(null=True, blank=True)
    seller_signed_at = models.DateTimeField(null=True, blank=True)
    buyer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the buyer by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seller_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the seller by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")

    def __str__(self) -> str:
        return f"Deal #{self.pk} {self.listing} · {self.get_mode_display()}"

    @property
    def is_exclusive(self) -> bool:
        return self.mode in (Mode.TRANSFER, Mode.EQUITY) or self.licence_type in (
            LicenceType.EXCLUSIVE,
            LicenceType.SOLE,
        )


class ExclusiveClaim(models.Model):
    """The database's guarantee that an exclusive or sole licence, a transfer or an equity contribution of a
    patent closes at most once: one active claim per patent, held by a unique partial index. A cancelled deal
    releases its claims."""

    patent = models.ForeignKey(Patent, on_delete=models.PROTECT, related_name="exclusive_claims")
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="exclusive_claims")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patent"], condition=Q(active=True), name="one_active_exclusive_claim")
        ]

    def __str__(self) -> str:
        return f"{self.patent_id} held by deal {self.deal_id}"


class SignedContract(models.Model):
    """The final contract of a deal as the platform signed it (a PAdES certification signature over the PDF), made
    once both parties' signatories have signed on the platform. Kept as the bytes that were signed, never
    regenerated: a later change of wording or of a party's name must not alter a signed contract."""

    deal = models.OneToOneField(Deal, on_delete=models.PROTECT, related_name="signed_contract")
    pdf = models.BinaryField(_("signed PDF"))
    sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64)
    signed_at = models.DateTimeField(_("signed by the platform at"))
    certificate_subject = models.CharField(_("platform certificate"), max_length=500)

    class Meta:
        verbose_name = _("signed contract")
        verbose_name_plural = _("signed contracts")

    def __str__(self) -> str:
        return f"{self.deal_id} {self.sha256[:12]}"


class ContractType(models.TextChoices):
    # 《技术合同认定登记管理办法》(2026): types since the Civil Code separated licensing from transfer.
    DEVELOPMENT = "development", _("Technology development (技术开发)")
    TRANSFER = "transfer", _("Technology transfer (技术转让)")
    LICENSING = "licensing", _("Technology licensing (技术许可)")
    CONSULTING = "consulting", _("Technology consulting (技术咨询)")
    SERVICE = "service", _("Technology service (技术服务)")


class ContractRegistration(models.Model):
    """技术合同认定登记: recorded by a broker; turnover counts the contract total once registered."""

    deal = models.OneToOneField(Deal, on_delete=models.PROTECT, related_name="registration")
    number = models.CharField(_("registration number"), max_length=40, unique=True)
    registered_on = models.DateField(_("registration date"))
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType.choices)
    contract_total_fen = models.BigIntegerField(_("contract total (fen)"))
    technology_amount_fen = models.BigIntegerField(_("technology transaction amount (fen)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(technology_amount_fen__gte=0)
                & Q(technology_amount_fen__lte=models.F("contract_total_fen")),
                name="registration_technology_amount_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.number


class ShareRegistration(models.Model):
    """For an equity deal: the recorded registration of the shares, which settles it (no cash on the platform)."""

    deal = models.OneToOneField(Deal, on_delete=models.PROTECT, related_name="share_registration")
    company = models.CharField(_("company"), max_length=200)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    registered_on = models.DateField(_("registration date"))
    reference = models.CharField(_("registration reference"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.company} {self.share_percent}%"


class DealEvent(StatusEvent):
    """The audit trail of a deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=DealStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DealStatus.choices)

    def __str__(self) -> str:
        return f"{self.deal_id}: {super().__str__()}"


class PriceNoticeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("price notice status", "Open for objections")
    OBJECTED = "objected", _("Objection under review")
    CLEARED = "cleared", _("Cleared: the contract may be signed")
    WITHDRAWN = "withdrawn", _("Withdrawn: the deal was cancelled")


class PriceNotice(models.Model):
    """The public notice of a price set by agreement (协议定价公示) when the seller is a public university or
    research institute.

    促进科技成果转化法 (Law on Promoting the Transformation of Scientific and Technological Achievements, 2015)
    art. 18 lets a state-funded institution price its results by agreement, by listing on an exchange or by auction;
    a price set by agreement must be publicly noticed within the institution (and here on the platform), naming
    the result, the parties, the price and the mode, before the contract is signed; the rules that implement it
    (e.g. 国务院《实施〈促进科技成果转化法〉若干规定》, 2016, point 1) and the provincial practice set a period of at
    least 15 days (settings.PRICE_NOTICE_DAYS). A price found at an auction needs no notice. The notice keeps a
    copy of what it published: the deal's terms can only be seen by its parties, the notice by anyone."""

    deal = models.OneToOneField(Deal, on_delete=models.PROTECT, related_name="price_notice")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="price_notices")
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(OperationCentre, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    licence_type = models.CharField(_("licence type"), max_length=20, choices=LicenceType.choices, blank=True)
    # The agreed amounts, as accepted: the upfront fee, transfer price or appraised value; a royalty rate.
    amount_fen = models.BigIntegerField(_("agreed amount (fen)"), null=True, blank=True)
    royalty_rate = models.DecimalField(_("royalty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    starts_at = models.DateTimeField(_("notice starts"))
    ends_at = models.DateTimeField(_("notice ends"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PriceNoticeStatus.choices, default=PriceNoticeStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public notice of an agreed price")
        verbose_name_plural = _("public notices of agreed prices")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="price_notice_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Notice #{self.pk} · deal {self.deal_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notices:detail", args=[self.pk])


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")
    MOOT = "moot", _("Closed: the deal was withdrawn")


class NoticeObjection(models.Model):
    """An objection to a notice, with reasons, by a signed-in person during the period; resolved by staff of the
    deal's hosting centre or above, with a reason of their own."""

    notice = models.ForeignKey(PriceNotice, on_delete=models.CASCADE, related_name="objections")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("reasons"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("decision and reason"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "id"]
        constraints = [
            # One objection under review per person and notice: a second one adds nothing but noise.
            models.UniqueConstraint(
                fields=["notice", "filed_by"], condition=Q(status="open"), name="objection_one_open_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Objection #{self.pk} to notice {self.notice_id}"


class PriceNoticeEvent(StatusEvent):
    """The audit trail of a notice: published, objected to, objection dismissed or upheld, cleared, withdrawn."""

    notice = models.ForeignKey(PriceNotice, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=PriceNoticeStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PriceNoticeStatus.choices)

    def __str__(self) -> str:
        return f"{self.notice_id}: {super().__str__()}"
