"""What the Django admin of several apps shares. (No model of the ground is registered here.)"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records only services write (ledgers, audit trails, money): the admin shows them and changes nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
