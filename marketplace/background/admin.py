"""Background work in Django's admin: the queue's depth, failed tasks with their error, each periodic job's last
run, the runners' heartbeats, and the mail queue."""

import dbtasks.admin  # noqa: F401 - registers dbtasks' admins first, so the one below can replace it
from dbtasks.models import ScheduledTask, Worker
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.background.models import OutgoingMail, PeriodicJob
from marketplace.background.selectors import queue_summary, runner_heartbeat


def _summary_message(request) -> None:
    summary = queue_summary()
    heartbeat = runner_heartbeat()
    waiting = ""
    if summary.oldest_ready_at:
        waiting = _(" The oldest has waited %(seconds)d s.") % {
            "seconds": (timezone.now() - summary.oldest_ready_at).total_seconds()
        }
    text = _(
        "Queue: %(ready)d ready, %(scheduled)d scheduled for later, %(running)d running, %(failed)d failed in the "
        "last day. Runners alive: %(runners)d."
    ) % {
        "ready": summary.ready,
        "scheduled": summary.scheduled,
        "running": summary.running,
        "failed": summary.failed_last_day,
        "runners": heartbeat.runners,
    }
    level = messages.WARNING if not heartbeat.alive or summary.failed_last_day else messages.INFO
    messages.add_message(request, level, text + waiting)


admin.site.unregister(ScheduledTask)


@admin.register(ScheduledTask)
class ScheduledTaskAdmin(dbtasks.admin.ScheduledTaskAdmin):
    list_display = ["task_path", "status", "enqueued_at", "run_after", "started_at", "finished_at", "error"]
    readonly_fields = [field.name for field in ScheduledTask._meta.fields] + ["worker_ids"]

    @admin.display(description=_("error"))
    def error(self, task: ScheduledTask) -> str:
        return task.exception_path

    def changelist_view(self, request, extra_context=None):
        _summary_message(request)
        return super().changelist_view(request, extra_context)


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["task_path", "schedule", "last_enqueued_at", "last_status", "last_finished_at", "next_run_at"]
    readonly_fields = ["task_path", "schedule", "next_run_at", "last_enqueued_at", "last_task_id", "last_error"]

    def _last_run(self, job: PeriodicJob) -> ScheduledTask | None:
        # A handful of jobs: one small read each is simpler than a join on a text id.
        return ScheduledTask.objects.filter(pk=job.last_task_id).first() if job.last_task_id else None

    @admin.display(description=_("last status"))
    def last_status(self, job: PeriodicJob) -> str:
        run = self._last_run(job)
        return run.get_status_display() if run else "—"

    @admin.display(description=_("last finished"))
    def last_finished_at(self, job: PeriodicJob):
        run = self._last_run(job)
        return run.finished_at if run else None

    @admin.display(description=_("last error"))
    def last_error(self, job: PeriodicJob) -> str:
        run = self._last_run(job)
        return run.traceback if run and run.traceback else "—"

    def has_add_permission(self, request) -> bool:
        return False  # jobs come from settings.PERIODIC_TASKS

    def changelist_view(self, request, extra_context=None):
        _summary_message(request)
        return super().changelist_view(request, extra_context)


admin.site.unregister(Worker)


@admin.register(Worker)
class RunnerAdmin(admin.ModelAdmin):
    list_display = ["id", "first_seen", "last_seen", "alive"]

    @admin.display(description=_("alive"), boolean=True)
    def alive(self, worker: Worker) -> bool:
        return worker.is_active


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipients", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "to"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    @admin.display(description=_("to"))
    def recipients(self, mail: OutgoingMail) -> str:
        return ", ".join(mail.to)

    def has_add_permission(self, request) -> bool:
        return False
