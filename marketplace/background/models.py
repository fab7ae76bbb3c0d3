"""What the task runner needs beyond django-dbtasks' own tables: periodic jobs with their last run, and mail
waiting to leave (so a mail is sent once, retried when the server refuses it, and never lost with a crash)."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """One periodic task from settings.PERIODIC_TASKS. Runners claim a due run by moving `next_run_at` with a
    compare-and-set update, so with several runners each run is enqueued exactly once."""

    task_path = models.CharField(_("task"), max_length=200, unique=True)
    schedule = models.CharField(_("schedule"), max_length=100)
    next_run_at = models.DateTimeField(_("next run"))
    last_enqueued_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)
    last_task_id = models.CharField(_("last task"), max_length=64, blank=True)

    class Meta:
        ordering = ["task_path"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.task_path


def _sweep_after() -> "timezone.datetime":
    # Its own task sends a new mail at once; the sweep offers it again only if that task never ran.
    return timezone.now() + timedelta(minutes=1)


class OutgoingMail(models.Model):
    """A mail handed to the queue: sent by the runner, marked sent once the mail server accepted it."""

    subject = models.CharField(max_length=998)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=_sweep_after)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outgoing_mail_unsent")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
