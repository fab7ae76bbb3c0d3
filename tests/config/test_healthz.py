"""/healthz names each part; only the database, without which no page can be served, makes it answer 503."""

from datetime import timedelta

import pytest
from channels.layers import channel_layers
from dbtasks.models import Worker
from django.db import DatabaseError
from django.utils import timezone

from config import health
from search import reset_search_backends
from search.backends.base import BackendHealth, BaseSearchBackend

pytestmark = pytest.mark.django_db(transaction=True)

PARTS = {"database", "channel_layer", "cache", "task_runner", "search"}
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
QUEUED_TASKS = {"default": {"BACKEND": "dbtasks.backend.DatabaseBackend", "OPTIONS": {"worker_timeout": 60}}}


class BrokenSearchBackend(BaseSearchBackend):
    def healthcheck(self) -> BackendHealth:
        return BackendHealth(ok=False, detail="index missing")


@pytest.fixture
def fresh_search_backends():
    reset_search_backends()
    yield
    reset_search_backends()


@pytest.fixture
def unreachable_channel_layer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [UNREACHABLE_REDIS]}}
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait for a runner, as in production (the suite otherwise runs them as they are enqueued)."""
    settings.TASKS = QUEUED_TASKS


def test_healthz_reports_every_part_up(client, fresh_search_backends):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == [] and body["degraded"] == []
    assert set(body["checks"]) == PARTS
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert body["checks"]["database"]["required"] is True
    assert body["checks"]["task_runner"]["detail"] == "tasks run as they are enqueued"


def test_a_search_backend_that_is_down_degrades_the_site_without_failing_it(client, settings, fresh_search_backends):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": f"{__name__}.BrokenSearchBackend"}}
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["degraded"] == ["search"]
    assert body["checks"]["search"] == {"status": "degraded", "required": False, "detail": "index missing"}


def test_an_unreachable_channel_layer_degrades_the_site_and_its_address_stays_private(
    client, unreachable_channel_layer
):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] == ["channel_layer"]
    assert body["checks"]["channel_layer"]["detail"] == "ConnectionError"
    assert "127.0.0.1" not in response.content.decode()


def test_an_unreachable_redis_cache_degrades_the_site_while_pages_use_memory(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "marketplace.core.cache.FallbackRedisCache", "LOCATION": UNREACHABLE_REDIS}
    }
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["degraded"] == ["cache"]
    assert "serving from this process's memory" in body["checks"]["cache"]["detail"]


def test_the_database_is_required_a_failure_answers_503(client, monkeypatch, fresh_search_backends):
    def broken() -> health.Check:
        return health._failed("the database", DatabaseError("connection refused at db.internal:5432"))

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["down"] == ["database"]
    assert body["checks"]["database"] == {"status": "down", "required": True, "detail": "DatabaseError"}
    assert "db.internal" not in response.content.decode()


def test_without_a_live_task_runner_the_site_is_degraded_and_says_when_one_was_last_seen(
    client, queued_tasks, fresh_search_backends
):
    body = client.get("/healthz").json()
    assert body["checks"]["task_runner"]["status"] == "degraded"
    assert "no runner has ever reported" in body["checks"]["task_runner"]["detail"]

    long_ago = timezone.now() - timedelta(minutes=10)
    Worker.objects.create(id="runner-1", first_seen=long_ago, last_seen=long_ago)
    response = client.get("/healthz")
    assert response.status_code == 200
    detail = response.json()["checks"]["task_runner"]["detail"]
    assert detail.startswith("no runner alive, last heartbeat ") and long_ago.isoformat() in detail

    Worker.objects.filter(id="runner-1").update(last_seen=timezone.now())
    body = client.get("/healthz").json()
    assert body["checks"]["task_runner"]["status"] == "ok"
    assert body["checks"]["task_runner"]["detail"].startswith("1 runner(s), last heartbeat ")


def test_liveness_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_liveness_stays_up_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: health.Check(False, "OperationalError"))
    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz/live").status_code == 200


def test_liveness_refuses_writes(client):
    assert client.post("/healthz/live").status_code == 405
    assert client.head("/healthz/live").status_code == 200


def test_an_index_falling_behind_is_reported_as_degraded_search(client, world):
    from search.models import IndexOutbox
    from tests.factories import ListingFactory

    listing = ListingFactory(seller=world.university, created_by=world.seller)
    now = timezone.now()
    entry = IndexOutbox.objects.create(listing_id=listing.pk, first_queued_at=now, queued_at=now, next_attempt_at=now)
    assert client.get("/healthz").json()["checks"]["search"]["status"] == "ok"
    IndexOutbox.objects.filter(pk=entry.pk).update(first_queued_at=timezone.now() - timedelta(minutes=30))
    body = client.get("/healthz")
    assert body.status_code == 200
    search = body.json()["checks"]["search"]
    assert search["status"] == "degraded" and "1 change(s) waiting" in search["detail"]


def test_a_database_that_does_not_answer_is_reported_down_without_waiting_for_it(client, monkeypatch):
    import threading

    released = threading.Event()

    def hangs():
        released.wait(30)  # a database that never answers (the pool would wait 30 s)
        return health.Check(True, "too late")

    monkeypatch.setattr(health, "check_database", hangs)
    monkeypatch.setattr(health, "SYNC_CHECKS_TIMEOUT_SECONDS", 0.2)
    try:
        response = client.get("/healthz")
    finally:
        released.set()
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"status": "down", "required": True, "detail": "TimeoutError"}
    assert checks["task_runner"]["detail"].startswith("not checked")
