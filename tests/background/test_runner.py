"""The task runner as operators rely on it: several runners share one queue, each task runs once, periodic jobs
run once per period however many runners there are, and the work of a runner that died is not lost."""

import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from dbtasks.models import ScheduledTask, Worker
from django.core import mail
from django.core.mail import EmailMessage
from django.tasks import TaskResultStatus
from django.utils import timezone

from marketplace.background.mail import mail_queue
from marketplace.background.models import OutgoingMail, PeriodicJob
from marketplace.background.runner import PlatformRunner
from marketplace.background.schedules import next_run_after
from marketplace.background.selectors import queue_summary, runner_heartbeat
from marketplace.background.services import dead_runners_requeue, periodic_jobs_enqueue_due, periodic_jobs_sync
from marketplace.background.tasks import mail_requeue_due

QUEUED = {"default": {"BACKEND": "marketplace.background.mail.QueuedEmailBackend"}}
LOCMEM = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait in the database for a runner, as in production (the suite otherwise runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "dbtasks.backend.DatabaseBackend", "OPTIONS": {"worker_timeout": 60}}}


@pytest.fixture
def queued_mail(settings):
    settings.MAILERS = {**QUEUED, "delivery": LOCMEM}
    mail.outbox = []


@contextmanager
def runners(count: int):
    started = [PlatformRunner(workers=2, worker_id=f"test-runner-{n}", loop_delay=0.02) for n in range(count)]
    threads = [threading.Thread(target=runner.run) for runner in started]
    for thread in threads:
        thread.start()
    try:
        # Inside the try: a runner slow to start (a loaded machine) is stopped all the same. Left running, it would
        # hold its pooled connections and loop on for the rest of the suite, and later tests would find the pool
        # empty (CI, PostgreSQL: "couldn't get a connection after 30.00 sec").
        for runner in started:
            assert runner.ready.wait(60), "a runner did not start within 60 s"
        yield started
    finally:
        for runner in started:
            runner.stop()
        for thread in threads:
            thread.join(60)
        assert not any(thread.is_alive() for thread in threads), "a runner did not stop within 60 s"


def wait_until(condition, seconds: float = 60) -> None:
    """A bound for a failing test, not a speed check: a loaded machine takes its time."""
    deadline = timezone.now() + timedelta(seconds=seconds)
    while timezone.now() < deadline:
        if condition():
            return
        threading.Event().wait(0.05)
    raise AssertionError("the runners did not finish in time")


def message(n: int) -> EmailMessage:
    return EmailMessage(subject=f"通知 {n}", body="正文", from_email=None, to=[f"person{n}@example.cn"])


@pytest.mark.django_db(transaction=True)
def test_two_runners_share_the_queue_and_send_every_queued_mail_exactly_once(queued_tasks, queued_mail):
    for n in range(30):
        mail_queue(message(n))
    assert mail.outbox == []  # queued, not sent by the request that wrote them
    assert queue_summary().ready == 30

    with runners(2):
        wait_until(lambda: OutgoingMail.objects.filter(sent_at=None).count() == 0)
        wait_until(lambda: queue_summary().ready == 0 and queue_summary().running == 0)
        assert runner_heartbeat().alive and runner_heartbeat().runners == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"person{n}@example.cn" for n in range(30))
    assert set(ScheduledTask.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    ran_on = {tuple(ids) for ids in ScheduledTask.objects.values_list("worker_ids", flat=True)}
    assert ran_on == {("test-runner-0",), ("test-runner-1",)}  # both took a share, each task ran once


@pytest.mark.django_db(transaction=True)
def test_a_stopped_runner_no_longer_counts_as_alive(queued_tasks):
    assert not runner_heartbeat().alive
    with runners(1):
        assert runner_heartbeat().alive
    assert not runner_heartbeat().alive


@pytest.mark.django_db
def test_a_periodic_run_is_enqueued_once_however_many_runners_claim_it(settings):
    settings.PERIODIC_TASKS = {"marketplace.background.tasks.requeue_unsent_mail": "5m"}
    start = timezone.now()
    periodic_jobs_sync(now=start)
    assert periodic_jobs_enqueue_due(now=start) == []  # not due yet

    later = start + timedelta(minutes=5, seconds=1)
    assert periodic_jobs_enqueue_due(now=later) == ["marketplace.background.tasks.requeue_unsent_mail"]
    assert periodic_jobs_enqueue_due(now=later) == []  # the second runner finds the run already claimed
    job = PeriodicJob.objects.get()
    assert job.next_run_at == later + timedelta(minutes=5)
    assert ScheduledTask.objects.filter(pk=job.last_task_id, status=TaskResultStatus.SUCCESSFUL).exists()

    # Down for a day: one catch-up run, not 288.
    assert len(periodic_jobs_enqueue_due(now=later + timedelta(days=1))) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_of_a_due_periodic_run_enqueue_it_once(settings, queued_tasks):
    settings.PERIODIC_TASKS = {"marketplace.background.tasks.requeue_unsent_mail": "5m"}
    start = timezone.now()
    periodic_jobs_sync(now=start)
    due = start + timedelta(minutes=6)
    barrier = threading.Barrier(4)
    claimed = []

    def claim() -> None:
        from django.db import connection

        barrier.wait()
        try:
            claimed.extend(periodic_jobs_enqueue_due(now=due))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(claimed) == 1
    assert ScheduledTask.objects.filter(task_path="marketplace.background.tasks.requeue_unsent_mail").count() == 1


def test_a_crontab_reads_beijing_wall_clock_time_whatever_the_server_zone():
    # 2026-12-06 23:00 UTC is 07:00 on the 7th in Beijing: the next "10 0 * * *" is 00:10 on the 8th, Beijing.
    after = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
    following = next_run_after("10 0 * * *", after)
    local = timezone.localtime(following)
    assert (local.day, local.hour, local.minute) == (8, 0, 10)
    assert next_run_after("1h", after) == after + timedelta(hours=1)
    with pytest.raises(ValueError):
        next_run_after("0s", after)


@pytest.mark.django_db(transaction=True)
def test_the_tasks_a_dead_runner_had_started_go_back_in_the_queue_and_run(queued_tasks, queued_mail):
    mail_queue(message(1))
    task = ScheduledTask.objects.get()
    dead = Worker.objects.create(id="killed-runner", last_seen=timezone.now() - timedelta(minutes=5))
    ScheduledTask.objects.filter(pk=task.pk).update(status=TaskResultStatus.RUNNING, worker=dead)

    assert dead_runners_requeue() == 1
    assert ScheduledTask.objects.get(pk=task.pk).status == TaskResultStatus.READY
    with runners(1):
        wait_until(lambda: OutgoingMail.objects.filter(sent_at=None).count() == 0)
    assert [m.to for m in mail.outbox] == [["person1@example.cn"]]


@pytest.mark.django_db
def test_a_refused_mail_is_kept_and_sent_later_once(settings, queued_mail):
    from tests.servers import free_port

    # A mail server that refuses connections: the real failure, not a stand-in.
    settings.MAILERS = {
        **QUEUED,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        },
    }
    queued = mail_queue(message(7))
    queued.refresh_from_db()
    assert queued.sent_at is None and queued.attempts == 1 and "Connection" in queued.last_error
    assert mail_requeue_due() == 0  # not before its retry time

    settings.MAILERS = {**QUEUED, "delivery": LOCMEM}
    mail.outbox = []
    later = queued.next_attempt_at + timedelta(seconds=1)
    assert mail_requeue_due(now=later) == 1
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.attempts == 2
    assert mail_requeue_due(now=later + timedelta(hours=1)) == 0
    assert [m.subject for m in mail.outbox] == ["通知 7"]
