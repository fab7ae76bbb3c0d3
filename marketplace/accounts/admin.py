from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# django-otp's own admin pages would let staff add a device with a key of their choosing to anyone's account, or
# read its key, unrecorded. Imported here so they are registered before being taken back: devices change only
# through accounts.services (set up by their owner, reset by staff, each change recorded).
from django_otp.plugins.otp_static import admin as _static_device_admin  # noqa: F401
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _totp_device_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.models import PrivacyConsent, SecondFactorEvent, User
from marketplace.accounts.services import second_factor_reset
from marketplace.core.admin import ReadOnlyAdmin

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


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
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-step log-in (lost phone): they set it up again"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor_reset(user=user, actor=request.user)
            self.log_change(request, user, [{"changed": {"fields": ["two-step log-in (reset)"]}}])
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Two-step log-in reset for %(count)d person.", "Two-step log-in reset for %(count)d people.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SecondFactorEvent)
class SecondFactorEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "kind", "actor"]
    list_filter = ["kind"]
    search_fields = ["user__email", "actor__email"]
    date_hierarchy = "created_at"


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
