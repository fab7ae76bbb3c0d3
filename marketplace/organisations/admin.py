from django.contrib import admin

from marketplace.organisations.models import Membership, Organisation


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
