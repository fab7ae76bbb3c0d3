from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from indicators.models import IndicatorTarget, LedgerEntry
from indicators.selectors import can_set_target, target_scopes_for
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
    """Targets per year, province-wide or per centre. Beyond the model permissions, a person changes only the
    targets `can_set_target` allows (the same rule as the targets page and the service)."""

    list_display = ["indicator", "year", "centre", "amount_fen", "note", "updated_at"]
    list_filter = ["indicator", "year", "centre"]
    fields = ["indicator", "year", "centre", "amount_fen", "note"]
    list_select_related = ["centre"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        allowed = [scope for scope, _name in target_scopes_for(request.user)]
        centre_ids = [scope for scope in allowed if scope is not None]
        condition = Q(centre_id__in=centre_ids)
        if None in allowed:
            condition |= Q(centre__isnull=True)
        return queryset.filter(condition)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_set_target(request.user, obj.centre_id))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_set_target(request.user, obj.centre_id))

    def save_model(self, request, obj, form, change) -> None:
        if not can_set_target(request.user, obj.centre_id):
            raise PermissionDenied(_("Only the administrators of this centre or of the platform may set its targets."))
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
