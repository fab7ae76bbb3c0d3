"""Requests' sync code runs on a few threads started once per process (marketplace.core.asgi_handler), never on
a thread started for the request: starting one blocked the event loop that carries the sockets."""

import asyncio
import threading

import pytest
from django.core.signals import request_started

from marketplace.core.asgi_handler import RequestThreads

pytestmark = pytest.mark.django_db(transaction=True)


async def _get(path: str) -> int:
    from config.asgi import application

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = []
    arrived = False

    async def receive():
        nonlocal arrived
        if not arrived:
            arrived = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    await application(scope, receive, send)
    return next(message["status"] for message in sent if message["type"] == "http.response.start")


async def test_requests_run_on_the_pools_threads_whatever_their_number(settings):
    names = set()

    def note_thread(sender, **kwargs):
        names.add(threading.current_thread().name)

    request_started.connect(note_thread)
    try:
        statuses = await asyncio.gather(*(_get("/healthz/live") for _ in range(12)))
    finally:
        request_started.disconnect(note_thread)
    assert statuses == [200] * 12
    assert names and all(name.startswith("request-") for name in names)
    assert len(names) <= settings.REQUEST_THREADS


def test_a_request_goes_to_the_least_busy_thread():
    threads = RequestThreads(3)
    first, second, third = threads.take(), threads.take(), threads.take()
    assert {first, second, third} == {0, 1, 2}
    threads.give_back(second)
    assert threads.take() == second  # the only idle one
    assert threads.take() in {0, 1, 2}  # all busy: any, never an error
