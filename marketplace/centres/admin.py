from django.contrib import admin

from marketplace.centres.models import CentreStaff, OperationCentre


class CentreStaffInline(admin.TabularInline):
    model = CentreStaff
    extra = 0
    raw_id_fields = ["user"]


@admin.register(OperationCentre)
class OperationCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "parent", "is_root"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "name_en"]
    inlines = [CentreStaffInline]
