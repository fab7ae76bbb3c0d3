"""What a deal owes (its schedule), what was paid and how, refunds, and the gateway events we have handled."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.deals.models import Deal


class InstalmentKind(models.TextChoices):
    UPFRONT = "upfront", _("Upfront licence fee")
    INSTALMENT = "instalment", _("Transfer price instalment")
    ROYALTY = "royalty", _("Royalty")
    SERVICE_FEE = "service_fee", _("Platform service fee")


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Instalment(models.Model):
    """One amount a deal's buyer owes, derived from the accepted terms (or from a royalty report)."""

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="instalments")
    kind = models.CharField(_("kind"), max_length=20, choices=InstalmentKind.choices)
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=InstalmentStatus.choices, default="due")
    paid_at = models.DateTimeField(null=True, blank=True)
    royalty_report = models.OneToOneField(
        "RoyaltyReport", null=True, blank=True, on_delete=models.PROTECT, related_name="instalment"
    )

    class Meta:
        ordering = ["deal", "due_date", "sequence"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="instalment_amount_positive"),
            models.UniqueConstraint(fields=["deal", "kind", "sequence"], name="instalment_unique_in_deal"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.kind} #{self.sequence}: {self.amount_fen}"

    @property
    def is_fixed(self) -> bool:
        """Fixed sums settle a deal; royalties keep falling due afterwards."""
        return self.kind != InstalmentKind.ROYALTY


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
    PENDING = "pending", _("Pending")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting a second staff member's confirmation")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Payment(models.Model):
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    status = models.CharField(_("status"), max_length=30, choices=PaymentStatus.choices, default="pending")
    gateway = models.CharField(max_length=20, blank=True)
    gateway_reference = models.CharField(max_length=100, null=True, blank=True, unique=True)
    failure_message = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    refunded_fen = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_fen__gte=0) & Q(refunded_fen__lte=models.F("amount_fen")),
                name="payment_refund_within_amount",
            ),
            # At most one successful payment per instalment: a late duplicate can never pay twice.
            models.UniqueConstraint(
                fields=["instalment"], condition=Q(status="succeeded"), name="one_successful_payment_per_instalment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount_fen} ({self.status})"


def evidence_path(instance: "BankTransfer", filename: str) -> str:
    return f"payments/evidence/{instance.payment_id}/{filename}"


class BankTransfer(models.Model):
    """A settlement by bank transfer, recorded by a broker with evidence and confirmed by a second staff
    member before it counts (four eyes on large sums)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_transfer")
    payer = models.CharField(_("payer"), max_length=200)
    transferred_on = models.DateField(_("transfer date"))
    bank_reference = models.CharField(_("bank reference"), max_length=100, unique=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("recorded_by")),
                name="bank_transfer_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return self.bank_reference


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    reason = models.CharField(_("reason"), max_length=300)
    gateway_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
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
