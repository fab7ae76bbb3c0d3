from django.contrib import admin

from demands.models import Demand, DemandEvent


class DemandEventInline(admin.TabularInline):
    model = DemandEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "centre", "field", "city", "status", "deadline", "published_at"]
    list_filter = ["status", "field", "city", "centre"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "centre", "created_by"]
    inlines = [DemandEventInline]
    # Status moves go through demands.services.demand_set_status, never through the admin form.
    readonly_fields = ["status", "close_reason", "moderation_note", "published_at", "submitted_at"]
