"""Writes of the background app: claiming due periodic runs, putting back the work of runners that died, and
queueing and delivering mail."""

import logging
from datetime import datetime, timedelta

from dbtasks.models import ScheduledTask, Worker
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django.utils.module_loading import import_string

from marketplace.background.models import OutgoingMail, PeriodicJob
from marketplace.background.schedules import next_run_after

logger = logging.getLogger(__name__)

MAIL_MAX_ATTEMPTS = 6
# A claimed mail whose sender died is offered again after this long: delivery is at least once.
MAIL_CLAIM_SECONDS = 300
# Dead runners' rows are kept a while for the admin to show, then removed.
DEAD_RUNNER_KEPT = timedelta(days=1)


# --- Periodic jobs ------------------------------------------------------------------------------------------


def periodic_jobs_sync(*, now: datetime | None = None) -> None:
    """Give every job in settings.PERIODIC_TASKS its row; a changed schedule starts again from now."""
    now = now or timezone.now()
    for task_path, spec in settings.PERIODIC_TASKS.items():
        next_run_after(spec, now)  # a bad spec fails here, at start-up, not at the first run
        job, created = PeriodicJob.objects.get_or_create(
            task_path=task_path, defaults={"schedule": spec, "next_run_at": next_run_after(spec, now)}
        )
        if not created and job.schedule != spec:
            PeriodicJob.objects.filter(pk=job.pk).update(schedule=spec, next_run_at=next_run_after(spec, now))


def periodic_jobs_enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue each configured job whose time has come, once, however many runners ask at the same moment.

    The claim is a compare-and-set on `next_run_at`: of two runners reading the same due row, one update
    matches and the other finds the time already moved. A runner that was down for a day runs a job once, not
    once per missed period.
    """
    now = now or timezone.now()
    configured = settings.PERIODIC_TASKS
    enqueued = []
    for job in PeriodicJob.objects.filter(next_run_at__lte=now, task_path__in=list(configured)):
        spec = configured[job.task_path]
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                schedule=spec, next_run_at=next_run_after(spec, now), last_enqueued_at=now
            )
            if not claimed:
                continue
            result = import_string(job.task_path).enqueue()
            PeriodicJob.objects.filter(pk=job.pk).update(last_task_id=str(result.id))
        enqueued.append(job.task_path)
    return enqueued


# --- Runners ------------------------------------------------------------------------------------------------


def worker_timeout() -> timedelta:
    return timedelta(seconds=task_backends["default"].worker_timeout)


def dead_runners_requeue(*, now: datetime | None = None) -> int:
    """Put the tasks a dead runner had started back in the queue (tasks are idempotent, so running one again is
    safe) and forget runners long dead. A runner is dead when its heartbeat is older than the backend's
    `worker_timeout`. Returns how many tasks went back."""
    now = now or timezone.now()
    dead = Worker.objects.filter(last_seen__lt=now - worker_timeout())
    with transaction.atomic():
        requeued = ScheduledTask.objects.filter(status=TaskResultStatus.RUNNING, worker__in=dead).update(
            status=TaskResultStatus.READY, started_at=None, worker=None
        )
        Worker.objects.filter(last_seen__lt=now - DEAD_RUNNER_KEPT).delete()
    if requeued:
        logger.warning("Put %d task(s) of dead task runners back in the queue", requeued)
    return requeued


# --- Mail ---------------------------------------------------------------------------------------------------


def _addresses(values) -> list[str]:
    return [str(value) for value in values or ()]


def mail_record(message: EmailMessage) -> OutgoingMail:
    """Keep a message for the runner to send (`marketplace.background.mail.mail_queue` also enqueues its task).
    In the caller's transaction: a mail about a change that rolls back is never sent."""
    html = next((content for content, mimetype in getattr(message, "alternatives", ()) if mimetype == "text/html"), "")
    mail = OutgoingMail.objects.create(
        subject=str(message.subject)[:998],
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=_addresses(message.to),
        cc=_addresses(message.cc),
        bcc=_addresses(message.bcc),
        reply_to=_addresses(message.reply_to),
        body=str(message.body),
        html_body=str(html),
        headers={str(key): str(value) for key, value in (message.extra_headers or {}).items()},
    )
    return mail


def mail_forget_address(*, mails: list[OutgoingMail], email: str) -> None:
    """Take an address out of these mails, sent or waiting (its owner closed their account): a mail left with
    nobody to go to is deleted, one with other recipients goes on to them."""
    email = email.strip().lower()
    for mail in mails:
        for field in ("to", "cc", "bcc"):
            setattr(mail, field, [address for address in getattr(mail, field) if address.lower() != email])
        if mail.to or mail.cc or mail.bcc:
            mail.save(update_fields=["to", "cc", "bcc"])
        else:
            mail.delete()


def _claim(mail_id: int, now: datetime) -> bool:
    stale = now - timedelta(seconds=MAIL_CLAIM_SECONDS)
    return bool(
        OutgoingMail.objects.filter(pk=mail_id, sent_at=None, attempts__lt=MAIL_MAX_ATTEMPTS)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
    )


def mail_deliver(*, mail_id: int) -> str:
    """Send one queued mail through the delivery mailer. Idempotent: a mail already sent, or being sent by
    another runner, is left alone. A refusal is retried later with a growing delay, up to MAIL_MAX_ATTEMPTS."""
    now = timezone.now()
    if not _claim(mail_id, now):
        return "skipped"
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=mail.headers,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    try:
        message.send(using=settings.MAIL_DELIVERY_MAILER)
    except Exception as error:
        attempts = mail.attempts + 1
        retry_at = now + timedelta(minutes=2**attempts)
        OutgoingMail.objects.filter(pk=mail_id).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            claimed_at=None,
            next_attempt_at=retry_at,
        )
        if attempts >= MAIL_MAX_ATTEMPTS:
            raise  # the task fails and shows in the admin with its error; nothing retries it any more
        return "retry"  # the periodic sweep (tasks.requeue_unsent_mail) offers it again at retry_at
    OutgoingMail.objects.filter(pk=mail_id).update(sent_at=timezone.now(), attempts=mail.attempts + 1, last_error="")
    return "sent"


def unsent_mail_due(*, now: datetime | None = None) -> list[int]:
    """Mail whose retry is due, or whose task was lost: what the sweep behind the per-mail tasks offers again."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(sent_at=None, attempts__lt=MAIL_MAX_ATTEMPTS, next_attempt_at__lte=now).filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - timedelta(seconds=MAIL_CLAIM_SECONDS))
    )
    return list(due.values_list("pk", flat=True)[:500])
