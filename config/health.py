"""/healthz: each part the site uses, reported separately; /healthz/live: the process answers.

Only the parts in REQUIRED_PARTS (the database) make /healthz answer 503; any other part that is down is
"degraded" with a 200, because the site goes on without it and taking every web server out of the load balancer
would turn a missing convenience into an outage (docs/operations.md says what each part's absence costs). The body
is public: a failure is named by its exception class, the full error goes to the log. It lives in the shell
because it looks at every part.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.tasks import task_backends
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from marketplace.background.selectors import runner_heartbeat
from search import get_search_backend
from search.selectors import index_outbox_backlog

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3
SYNC_CHECKS_TIMEOUT_SECONDS = 5
# Threads of the health checks' own: one stuck on a dead database delays no request and no event-loop shutdown.
_CHECKS_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")
REQUIRED_PARTS = frozenset({"database"})
# A change normally waits seconds to be indexed; a drain runs at least every minute and retries within five.
INDEX_BACKLOG_LIMIT = timedelta(minutes=10)
# A group nobody joins: sending to it exercises the layer's store (Redis) without receiving anything.
PROBE_GROUP = "healthz-probe"

OK, DEGRADED, DOWN = "ok", "degraded", "down"


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def _failed(part: str, error: BaseException) -> Check:
    logger.warning("Health check of %s failed: %s: %s", part, type(error).__name__, error)
    return Check(False, type(error).__name__)


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return _failed("the database", error)
    return Check(True, connection.vendor)


async def check_channel_layer() -> Check:
    """One group send to an empty group. Not a send and receive on a channel of our own: on channels-redis such a
    round trip shares the process's receive machinery (one receive lock, one buffer) with the open sockets'
    consumers, and it timed out whenever a WebSocket was open, reporting a healthy layer as down
    (tests/config/test_redis_outage.py)."""
    layer = get_channel_layer()
    if layer is None:
        return Check(False, "no channel layer configured")
    try:
        await asyncio.wait_for(layer.group_send(PROBE_GROUP, {"type": "healthz.probe"}), CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any failure means "down", and the reason is reported
        return _failed("the channel layer", error)
    return Check(True, type(layer).__name__)


def check_cache() -> Check:
    backend = caches["default"]
    probe = getattr(backend, "probe", None)
    if probe is not None:  # marketplace.core.cache.FallbackRedisCache: Redis itself, not its fallback
        ok, detail = probe()
        return Check(ok, detail)
    try:
        backend.set("healthz-probe", 1, 10)
        backend.get("healthz-probe")
    except Exception as error:  # noqa: BLE001
        return _failed("the cache", error)
    return Check(True, type(backend).__name__)


def check_task_runner() -> Check:
    if getattr(task_backends["default"], "immediate", False):
        return Check(True, "tasks run as they are enqueued")
    try:
        heartbeat = runner_heartbeat()
    except DatabaseError as error:
        return _failed("the task runners", error)
    last = heartbeat.last_seen.isoformat() if heartbeat.last_seen else None
    if heartbeat.alive:
        return Check(True, f"{heartbeat.runners} runner(s), last heartbeat {last}")
    if last is None:
        return Check(False, "no runner has ever reported; tasks wait in the queue")
    return Check(False, f"no runner alive, last heartbeat {last}; tasks wait in the queue")


def check_search() -> Check:
    """The engine answers, and its index is not falling behind: changes wait in the outbox while the engine
    refuses writes or no runner drains it, so a backlog older than INDEX_BACKLOG_LIMIT is reported."""
    try:
        health = get_search_backend().healthcheck()
        backlog = index_outbox_backlog()
    except Exception as error:  # noqa: BLE001
        return _failed("the search backend", error)
    if not health.ok:
        return Check(False, health.detail)
    if backlog.oldest_age is not None and backlog.oldest_age > INDEX_BACKLOG_LIMIT:
        return Check(
            False,
            f"{health.detail}; the index is behind: {backlog.waiting} change(s) waiting, the oldest for "
            f"{int(backlog.oldest_age.total_seconds())} s",
        )
    return Check(True, f"{health.detail}; {backlog.waiting} change(s) waiting to be indexed")


def _sync_checks() -> dict[str, Check]:
    try:
        database = check_database()
        # The runners' heartbeats and the index outbox live in the database: without it they cannot be read, and
        # each attempt would wait the connection pool's whole timeout.
        unread = Check(False, "not checked: the database is down")
        return {
            "database": database,
            "cache": check_cache(),
            "task_runner": check_task_runner() if database.ok else unread,
            "search": check_search() if database.ok else unread,
        }
    finally:
        connection.close()  # this runs in a thread of its own: give the connection back


async def _bounded_sync_checks() -> dict[str, Check]:
    """The synchronous checks, in a thread of their own, given up after SYNC_CHECKS_TIMEOUT_SECONDS: a database
    that does not answer is down, and an orchestrator must hear so in seconds, not after a pool timeout."""
    try:
        return await asyncio.wait_for(
            sync_to_async(_sync_checks, thread_sensitive=False, executor=_CHECKS_EXECUTOR)(),
            SYNC_CHECKS_TIMEOUT_SECONDS,
        )
    except TimeoutError:
        logger.warning(
            "Health checks took longer than %s s: the database is not answering", SYNC_CHECKS_TIMEOUT_SECONDS
        )
        late = Check(False, "not checked: the database did not answer in time")
        return {"database": Check(False, "TimeoutError"), "cache": check_cache(), "task_runner": late, "search": late}


async def run_health_checks() -> dict[str, dict]:
    sync_checks, channel_layer = await asyncio.gather(_bounded_sync_checks(), check_channel_layer())
    checks = {**sync_checks, "channel_layer": channel_layer}
    report = {}
    for name in ("database", "channel_layer", "cache", "task_runner", "search"):
        check = checks[name]
        required = name in REQUIRED_PARTS
        status = OK if check.ok else DOWN if required else DEGRADED
        report[name] = {"status": status, "required": required, "detail": check.detail}
    return report


@never_cache
@require_safe
async def healthz(request):
    checks = await run_health_checks()
    down = sorted(name for name, check in checks.items() if check["status"] == DOWN)
    degraded = sorted(name for name, check in checks.items() if check["status"] == DEGRADED)
    status = DOWN if down else DEGRADED if degraded else OK
    body = {"status": status, "down": down, "degraded": degraded, "checks": checks}
    return JsonResponse(body, status=503 if down else 200)


@never_cache
@require_safe
async def healthz_live(request):
    """Liveness for an orchestrator: the process serves requests. Touches nothing else on purpose, so a database
    outage makes /healthz fail (stop sending traffic) without /healthz/live failing (restart the process),
    which would restart every worker and fix nothing."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
