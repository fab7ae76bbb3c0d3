"""What a deal owes (its schedule), what was paid and how, refunds, and the gateway events we have handled."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deals.models import Deal


class InstalmentKind(models.TextChoices):
    UPFRONT = "upfront", _("Upfront licence fee")
    INSTALMENT = "instalment", _("Transfer price instalment")
    ROYALTY = "royalty", _("Royalty")
    SERVICE_FEE = "service_fee", _("Platform service fee")
    # 竞买保证金: held for an auction (auctions app) before any deal exists; refunded to those who do not win,
    # credited to the price of the winner's deal, or forfeited by a winner who walks away.
    DEPOSIT = "deposit", _("Auction deposit")


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    # The ends of a paid auction deposit (kind DEPOSIT only).
    REFUNDED = "refunded", _("Refunded")
    CREDITED = "credited", _("Credited to the price")
    FORFEITED = "forfeited", _("Forfeited")


class Instalment(models.Model):
    """One amount a deal's buyer owes, derived from the accepted terms (or from a royalty report); or an auction
    deposit, owed by a bidder (`payer`) to the centre running the auction (`centre`) before any deal exists. A
    deposit credited to the winner's price joins that deal (`deal` set, kind still DEPOSIT)."""

    deal = models.ForeignKey(Deal, null=True, blank=True, on_delete=models.PROTECT, related_name="instalments")
    kind = models.CharField(_("kind"), max_length=20, choices=InstalmentKind.choices)
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=InstalmentStatus.choices, default="due")
    paid_at = models.DateTimeField(null=True, blank=True)
    royalty_report = models.OneToOneField(
        "RoyaltyReport", null=True, blank=True, on_delete=models.PROTECT, related_name="instalment"
    )
    # Of a deposit: who pays it, the centre that holds it, the caller's key for it (the same key finds the same
    # deposit) and what it is for, as the payer reads it.
    payer = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deposit_instalments",
        verbose_name=_("payer"),
    )
    centre = models.ForeignKey(
        "centres.OperationCentre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=100, null=True, blank=True, unique=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["deal", "due_date", "sequence"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="instalment_amount_positive"),
            models.UniqueConstraint(
                fields=["deal", "kind", "sequence"],
                condition=~Q(kind="deposit"),
                name="instalment_unique_in_deal",
            ),
            models.CheckConstraint(
                condition=Q(deal__isnull=False) | Q(kind="deposit", payer__isnull=False, centre__isnull=False),
                name="instalment_of_a_deal_or_a_deposit",
            ),
        ]

    def __str__(self) -> str:
        if self.deal_id is None:
            return f"deposit {self.reference}: {self.amount_fen}"
        return f"{self.deal_id} {self.kind} #{self.sequence}: {self.amount_fen}"

    @property
    def is_deposit(self) -> bool:
        return self.kind == InstalmentKind.DEPOSIT

    @property
    def payer_organisation_id(self) -> int | None:
        """Who pays: the deal's buyer, or the bidder for a deposit (also once it is credited to a deal)."""
        if self.is_deposit or self.deal_id is None:
            return self.payer_id
        return self.deal.buyer_id

    @property
    def hosting_centre_id(self) -> int | None:
        """The centre whose staff handle this money: the deal's, or the one holding the deposit."""
        if self.deal_id is None:
            return self.centre_id
        return self.deal.centre_id

    @property
    def is_fixed(self) -> bool:
        """Fixed sums settle a deal; royalties keep falling due afterwards."""
        return self.kind not in (InstalmentKind.ROYALTY, InstalmentKind.DEPOSIT)


class RoyaltyReport(models.Model):
    """A licensee's sales for a period; the royalty follows from the agreed rate and minimum."""

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="royalty_reports")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    sales_fen = models.BigIntegerField(_("sales (fen)"))
    royalty_fen = models.BigIntegerField(_("royalty due (fen)"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deal", "period_start"], name="royalty_report_one_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="royalty_period_order"),
            models.CheckConstraint(condition=Q(sales_fen__gte=0), name="royalty_sales_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.period_start}–{self.period_end}"


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card (online)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class PaymentStatus(models.TextChoices):
    # A card attempt is recorded before the gateway is called: until the gateway's answer is recorded, nobody
    # may assume the card was or was not charged.
    PENDING = "pending", _("Being confirmed with the payment service")
    REQUIRES_ACTION = "requires_action", _("Waiting for the payer to confirm with their bank")
    PROCESSING = "processing", _("Processing at the payment service")
    DECLARED = "declared", _("Transfer announced by the buyer, awaiting the broker")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting a second staff member's confirmation")
    SUCCEEDED = "succeeded", _("Succeeded")
    SURPLUS = "surplus", _("Received for an amount already paid: to be refunded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# While a payment is in one of these states the instalment has an attempt under way: nobody may start another.
OPEN_PAYMENT_STATES = (
    PaymentStatus.PENDING,
    PaymentStatus.REQUIRES_ACTION,
    PaymentStatus.PROCESSING,
    PaymentStatus.DECLARED,
    PaymentStatus.AWAITING_CONFIRMATION,
)
# Money arrived: it is either applied to the instalment or held as surplus until refunded.
RECEIVED_PAYMENT_STATES = (PaymentStatus.SUCCEEDED, PaymentStatus.SURPLUS)


class SavedCard(models.Model):
    """A buyer organisation's card kept at the gateway (a customer and its card), so later instalments are paid
    in one click, or automatically on their due date when `auto_pay` is on. We keep references, never numbers."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="saved_cards")
    gateway = models.CharField(max_length=20)
    customer_reference = models.CharField(max_length=100)
    payment_method_reference = models.CharField(max_length=100, unique=True)
    brand = models.CharField(_("brand"), max_length=30, blank=True)
    last4 = models.CharField(_("last four digits"), max_length=4, blank=True)
    exp_month = models.PositiveSmallIntegerField(null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(null=True, blank=True)
    auto_pay = models.BooleanField(_("pay instalments automatically on their due date"), default=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.brand} •••• {self.last4}"


class Payment(models.Model):
    """One attempt to pay an instalment: a card charge or a bank transfer. An instalment has at most one open
    attempt at a time and at most one that succeeded; money that arrives for an instalment already paid is
    kept as surplus, visible to the brokers, until it is refunded."""

    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="payments")
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    status = models.CharField(_("status"), max_length=30, choices=PaymentStatus.choices, default="pending")
    gateway = models.CharField(max_length=20, blank=True)
    gateway_reference = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # Sent with every request about this attempt, first and retried: the gateway acts on it once.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    # What was charged (a card token or a saved card), kept so a retry sends the same request.
    payment_method_reference = models.CharField(max_length=200, blank=True)
    saved_card = models.ForeignKey(SavedCard, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    automatic = models.BooleanField(default=False)
    failure_message = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    # Of the amount received, what is not applied to the instalment (all of it for a duplicate).
    surplus_fen = models.BigIntegerField(default=0)
    refunded_fen = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["instalment", "attempt"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_fen__gte=0) & Q(refunded_fen__lte=models.F("amount_fen")),
                name="payment_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(surplus_fen__gte=0) & Q(surplus_fen__lte=models.F("amount_fen")),
                name="payment_surplus_within_amount",
            ),
            # At most one successful payment per instalment: a late duplicate can never pay twice.
            models.UniqueConstraint(
                fields=["instalment"], condition=Q(status="succeeded"), name="one_successful_payment_per_instalment"
            ),
            # At most one attempt under way per instalment: a second click, tab or submit finds the first.
            models.UniqueConstraint(
                fields=["instalment"],
                condition=Q(status__in=[str(state) for state in OPEN_PAYMENT_STATES]),
                name="one_open_payment_per_instalment",
            ),
            models.UniqueConstraint(fields=["instalment", "attempt"], name="payment_attempt_unique_in_instalment"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount_fen} ({self.status})"

    @property
    def applied_fen(self) -> int:
        """What this payment pays of its instalment."""
        return self.amount_fen - self.surplus_fen if self.status == PaymentStatus.SUCCEEDED else 0

    @property
    def surplus_outstanding_fen(self) -> int:
        """Surplus not yet refunded (refunds return surplus first)."""
        return max(0, self.surplus_fen - self.refunded_fen)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PAYMENT_STATES


class PaymentEvent(models.Model):
    """Every change of a payment's status, by whom and why: the audit trail of the state machine."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.from_status or '—'} → {self.to_status}"


def evidence_path(instance: "BankTransfer", filename: str) -> str:
    return f"payments/evidence/{instance.payment_id}/{filename}"


class BankTransfer(models.Model):
    """A settlement by bank transfer: announced by the buyer with the remittance slip, or recorded directly by a
    broker; recorded by a broker against the bank statement and confirmed by a second staff member before it
    counts (four eyes on large sums)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_transfer")
    payer = models.CharField(_("payer"), max_length=200)
    transferred_on = models.DateField(_("transfer date"))
    # The bank's own reference for the credit, entered by the broker from the statement; empty while announced.
    bank_reference = models.CharField(_("bank reference"), max_length=100, null=True, blank=True, unique=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True)
                | (Q(recorded_by__isnull=False) & ~Q(confirmed_by=models.F("recorded_by"))),
                name="bank_transfer_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return self.bank_reference or self.payer


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Being confirmed with the payment service")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    """Money returned from a payment. A card refund is recorded (with its idempotency key) before the gateway
    is asked, so a crash in between is found and finished by reconciliation."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    status = models.CharField(max_length=20, choices=RefundStatus.choices, default=RefundStatus.SUCCEEDED)
    reason = models.CharField(_("reason"), max_length=300)
    gateway_reference = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    failure_message = models.CharField(max_length=300, blank=True)
    # None: the platform itself (an auction deposit returned automatically to a bidder who did not win).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"refund {self.amount_fen} of payment {self.payment_id}"


class GatewayEvent(models.Model):
    """Every webhook event we acted on, keyed by the gateway's event id: a replay finds it and does nothing."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    object_reference = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class CollectionAccount(models.Model):
    """The bank account an operation centre collects transfers on (对公账户). A deal's buyer is shown the
    account of the deal's centre, or of the nearest centre above it that has one."""

    centre = models.OneToOneField(
        "centres.OperationCentre", on_delete=models.CASCADE, related_name="collection_account"
    )
    account_name = models.CharField(_("account name"), max_length=200)
    bank_name = models.CharField(_("bank"), max_length=200)
    account_number = models.CharField(_("account number"), max_length=40)

    class Meta:
        verbose_name = _("collection account")
        verbose_name_plural = _("collection accounts")

    def __str__(self) -> str:
        return f"{self.account_name} · {self.bank_name} {self.account_number}"


class InstalmentReminder(models.Model):
    """A reminder mail sent about an overdue instalment, once per stage (days overdue)."""

    instalment = models.ForeignKey(Instalment, on_delete=models.CASCADE, related_name="reminders")
    days_overdue = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instalment", "days_overdue"], name="one_reminder_per_stage")]

    def __str__(self) -> str:
        return f"{self.instalment_id}: {self.days_overdue} days overdue"
