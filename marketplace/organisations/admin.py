from django.contrib import admin

from marketplace.organisations.models import Membership, Organisation, Signatory, SignatoryEvent


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "credit_code", "centre", "verified"]
    list_filter = ["kind", "city", "verified", "centre"]
    search_fields = ["name", "name_en", "credit_code"]
    inlines = [MembershipInline]


class SignatoryEventInline(admin.TabularInline):
    model = SignatoryEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    """Read-only: signatories change through the site's services, which check who may and write the audit row."""

    list_display = ["user", "organisation", "capacity", "status", "valid_until", "nominated_at", "decided_by"]
    list_filter = ["status", "capacity"]
    search_fields = ["user__email", "user__display_name", "organisation__name"]
    inlines = [SignatoryEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
