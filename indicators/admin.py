from django.contrib import admin

from indicators.models import IndicatorTarget, LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read only: the ledger is append-only, and only the booking services append."""

    list_display = ["booked_on", "source_key", "indicator", "amount_fen", "technology_amount_fen", "city", "centre"]
    list_filter = ["indicator", "is_reversal", "year", "city", "seller_kind", "mode"]
    search_fields = ["source_key"]
    date_hierarchy = "booked_on"
    list_select_related = ["centre"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "amount_fen", "note", "updated_at"]
    list_filter = ["indicator"]
    fields = ["indicator", "year", "amount_fen", "note"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
