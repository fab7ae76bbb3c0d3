"""Django's ASGI handler, with the sync part of each request on one of a few long-lived threads per process.

Django runs each request's sync code (middleware, views, templates) in a thread made for that request
(asgiref's ThreadSensitiveContext). Starting that thread blocks the event loop until the new thread gets the
GIL, and under page load dozens of them compete with the loop: profiled with 500 sockets and 64 page
connections, a third of the loop's time went into starting request threads, and socket frames waited seconds
(bench/ws.py). Here a request takes the least busy of REQUEST_THREADS threads started once: few enough that
the loop keeps the GIL often, more than one so that a request waiting on the network (the payment gateway, mail)
does not hold up every page of the process. The sockets' database calls run on their own pool
(marketplace.core.sockets.database_call), never behind the pages.
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler


class RequestThreads:
    """N single-thread executors and how many requests each one carries now (read and written on the event
    loop only, so no lock)."""

    def __init__(self, size: int) -> None:
        self.executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{n}") for n in range(size)]
        self.in_flight = [0] * size

    def take(self) -> int:
        index = min(range(len(self.executors)), key=self.in_flight.__getitem__)
        self.in_flight[index] += 1
        return index

    def give_back(self, index: int) -> None:
        self.in_flight[index] -= 1


class PooledThreadsASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.threads = RequestThreads(max(1, settings.REQUEST_THREADS))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # asgiref runs the request's thread-sensitive code on the executor given, and leaves it running after.
        index = self.threads.take()
        try:
            async with ThreadSensitiveContext(executor=self.threads.executors[index]):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(index)
