from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from marketplace.accounts.models import PrivacyConsent, User


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "closed_at"]
    list_filter = [*UserAdmin.list_filter, "closed_at"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["closed_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "phone", "closed_at")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(admin.ModelAdmin):
    """Evidence of consent: read here, never written or deleted by hand."""

    list_display = ["user", "user__email", "notice_version", "accepted_at", "ip_address"]
    list_filter = ["notice_version"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "notice_version", "accepted_at", "ip_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
