from django.contrib import admin

from listings.models import Listing, ListingEvent, ListingTerms, Patent, PatentEncumbrance


@admin.register(Patent)
class PatentAdmin(admin.ModelAdmin):
    list_display = ["application_number", "title", "patent_type", "legal_status", "main_ipc", "expiry_date"]
    list_filter = ["patent_type", "legal_status", "ipc_section"]
    search_fields = ["application_number", "title"]


@admin.register(PatentEncumbrance)
class PatentEncumbranceAdmin(admin.ModelAdmin):
    list_display = ["patent", "kind", "counterparty", "registered_on", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["patent"]


class ListingTermsInline(admin.TabularInline):
    model = ListingTerms
    extra = 0


class ListingEventInline(admin.TabularInline):
    model = ListingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "seller", "centre", "status", "quality_score", "published_at"]
    list_filter = ["status", "centre"]
    search_fields = ["title"]
    raw_id_fields = ["seller", "centre", "created_by"]
    inlines = [ListingTermsInline, ListingEventInline]
    # Status moves go through listings.services.listing_set_status, never through the admin form.
    readonly_fields = ["status", "close_reason", "review", "quality_score", "published_at", "submitted_at"]
