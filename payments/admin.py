"""Payments in Django's admin: the centres' collection accounts are edited here; payments, their audit trail and
refunds are read here (every change of money goes through the services, never through a form)."""

from django.contrib import admin

from marketplace.core.admin import ReadOnlyAdmin
from payments.models import CollectionAccount, Payment, PaymentEvent, Refund, SavedCard


@admin.register(CollectionAccount)
class CollectionAccountAdmin(admin.ModelAdmin):
    list_display = ["centre", "account_name", "bank_name", "account_number"]


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "from_status", "to_status", "actor", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "instalment",
        "attempt",
        "method",
        "amount_fen",
        "status",
        "surplus_fen",
        "refunded_fen",
        "created_at",
    ]
    list_filter = ["status", "method", "automatic"]
    search_fields = ["gateway_reference", "idempotency_key", "bank_transfer__bank_reference"]
    inlines = [PaymentEventInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["pk", "payment", "amount_fen", "status", "reason", "created_at"]
    list_filter = ["status"]


@admin.register(SavedCard)
class SavedCardAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "brand", "last4", "auto_pay", "active", "created_at"]
    list_filter = ["active", "auto_pay"]
