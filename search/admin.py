"""The index outbox in Django's admin: what is waiting to be indexed, since when, and why it failed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from search.models import IndexOutbox
from search.selectors import index_outbox_backlog
from search.services import index_outbox_retry_now
from search.tasks import drain_soon_after_commit


@admin.register(IndexOutbox)
class IndexOutboxAdmin(admin.ModelAdmin):
    list_display = ["listing_id", "first_queued_at", "queued_at", "alert", "attempts", "next_attempt_at", "error"]
    list_filter = ["alert", ("last_error", admin.EmptyFieldListFilter)]
    readonly_fields = [field.name for field in IndexOutbox._meta.fields]
    actions = ["retry_now"]

    @admin.display(description=_("last error"))
    def error(self, entry: IndexOutbox) -> str:
        return entry.last_error[:120]

    @admin.action(description=_("Index the selected listings now (once the search engine is back)"))
    def retry_now(self, request, queryset) -> None:
        waiting = index_outbox_retry_now(listing_ids=list(queryset.values_list("pk", flat=True)))
        drain_soon_after_commit()
        self.message_user(
            request,
            ngettext(
                "%(count)d listing will be indexed again now.", "%(count)d listings will be indexed again now.", waiting
            )
            % {"count": waiting},
        )

    def has_add_permission(self, request) -> bool:
        return False  # entries come from listing changes

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        backlog = index_outbox_backlog()
        if backlog.waiting:
            level = messages.WARNING if backlog.failing else messages.INFO
            text = _(
                "%(waiting)d listing(s) waiting to be indexed, %(failing)d of them after a failed attempt; the "
                "oldest change has waited %(seconds)d s."
            ) % {"waiting": backlog.waiting, "failing": backlog.failing, "seconds": backlog.oldest_age.total_seconds()}
            messages.add_message(request, level, text)
        return super().changelist_view(request, extra_context)
