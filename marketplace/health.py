"""/healthz: the state of the database, the channel layer and the search backend; /healthz/live: the process answers.

It lives in the project package, beside urls.py, because it looks at every part (the core app must not import
the search app built on top of it).
"""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from search import get_search_backend

CHECK_TIMEOUT_SECONDS = 3


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return False, str(error)
    return True, connection.vendor


async def check_channel_layer() -> tuple[bool, str]:
    layer = get_channel_layer()
    if layer is None:
        return False, "no channel layer configured"
    try:
        channel = await layer.new_channel("healthz.")
        token = uuid.uuid4().hex
        await asyncio.wait_for(layer.send(channel, {"type": "healthz", "token": token}), CHECK_TIMEOUT_SECONDS)
        message = await asyncio.wait_for(layer.receive(channel), CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any failure means "down", and the reason is reported
        return False, f"{type(error).__name__}: {error}"
    if message.get("token") != token:
        return False, "the channel layer returned a different message"
    return True, type(layer).__name__


def check_search() -> tuple[bool, str]:
    try:
        health = get_search_backend().healthcheck()
    except Exception as error:  # noqa: BLE001
        return False, f"{type(error).__name__}: {error}"
    return health.ok, health.detail


async def run_health_checks() -> dict[str, dict]:
    database = await sync_to_async(check_database, thread_sensitive=True)()
    channel_layer = await check_channel_layer()
    search = await sync_to_async(check_search, thread_sensitive=True)()
    return {
        name: {"ok": ok, "detail": detail}
        for name, (ok, detail) in {
            "database": database,
            "channel_layer": channel_layer,
            "search": search,
        }.items()
    }


@never_cache
@require_safe
async def healthz(request):
    checks = await run_health_checks()
    down = sorted(name for name, check in checks.items() if not check["ok"])
    body = {"status": "ok" if not down else "down", "down": down, "checks": checks}
    return JsonResponse(body, status=200 if not down else 503)


@never_cache
@require_safe
async def healthz_live(request):
    """Liveness for an orchestrator: the process serves requests. Touches nothing else on purpose, so a database
    or Redis outage makes /healthz fail (stop sending traffic) without /healthz/live failing (restart the process),
    which would restart every worker and fix nothing."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
