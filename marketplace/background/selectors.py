"""Reads about the background work: is a runner alive, how deep is the queue, what failed."""

from dataclasses import dataclass
from datetime import datetime

from dbtasks.models import ScheduledTask, Worker
from django.db.models import Count, Min, Q
from django.tasks import Task, TaskResultStatus
from django.utils import timezone

from marketplace.background.models import OutgoingMail
from marketplace.background.services import worker_timeout


@dataclass(frozen=True)
class RunnerHeartbeat:
    alive: bool
    last_seen: datetime | None
    runners: int


def runner_heartbeat() -> RunnerHeartbeat:
    """Alive when at least one runner's heartbeat is within the backend's worker timeout."""
    recent = Worker.objects.filter(last_seen__gte=timezone.now() - worker_timeout())
    latest = Worker.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    count = recent.count()
    return RunnerHeartbeat(alive=count > 0, last_seen=latest, runners=count)


@dataclass(frozen=True)
class QueueSummary:
    ready: int  # due now, waiting for a runner
    scheduled: int  # waiting for their time
    running: int
    failed_last_day: int
    oldest_ready_at: datetime | None


def queue_summary() -> QueueSummary:
    now = timezone.now()
    ready = ScheduledTask.objects.filter(status=TaskResultStatus.READY)
    due = ready.exclude(run_after__gt=now)
    counts = dict(ScheduledTask.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return QueueSummary(
        ready=due.count(),
        scheduled=ready.filter(run_after__gt=now).count(),
        running=counts.get(TaskResultStatus.RUNNING, 0),
        failed_last_day=ScheduledTask.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timezone.timedelta(days=1)
        ).count(),
        oldest_ready_at=due.aggregate(oldest=Min("enqueued_at"))["oldest"],
    )


def task_waiting(task: Task) -> bool:
    """Whether a run of this task is queued, due and not started yet. A nudge that drains whatever is queued can
    skip enqueueing another run then: the waiting one starts after the nudge's change committed, so it sees it."""
    return (
        ScheduledTask.objects.filter(task_path=task.module_path, backend=task.backend, status=TaskResultStatus.READY)
        .filter(Q(run_after=None) | Q(run_after__lte=timezone.now()))
        .exists()
    )


def _recipients(mail: OutgoingMail) -> list[str]:
    return [*mail.to, *mail.cc, *mail.bcc]


def mail_addressed_to(email: str) -> list[OutgoingMail]:
    """Every mail, sent or waiting, with this address among its recipients (compared without case)."""
    email = email.strip().lower()
    candidates = OutgoingMail.objects.filter(Q(to__icontains=email) | Q(cc__icontains=email) | Q(bcc__icontains=email))
    return [mail for mail in candidates if email in (address.lower() for address in _recipients(mail))]
