from django.contrib import admin

from indicators.models import IndicatorTarget, LedgerEntry
from marketplace.core.admin import ReadOnlyAdmin


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Read only: the ledger is append-only, and only the booking services append."""

    list_display = ["booked_on", "source_key", "indicator", "amount_fen", "technology_amount_fen", "city", "centre"]
    list_filter = ["indicator", "is_reversal", "year", "city", "seller_kind", "mode"]
    search_fields = ["source_key"]
    date_hierarchy = "booked_on"
    list_select_related = ["centre"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "amount_fen", "note", "updated_at"]
    list_filter = ["indicator"]
    fields = ["indicator", "year", "amount_fen", "note"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
