"""Django's ASGI handler, with the sync part of every request on one long-lived thread per process.

Django runs each request's sync code (middleware, views, templates) in a thread made for that request
(asgiref's ThreadSensitiveContext). Starting that thread blocks the event loop until the new thread gets the
GIL, and under page load dozens of them compete with the loop: profiled with 500 sockets and 64 page
connections, a third of the loop's time went into starting request threads, and socket frames waited seconds
(bench/ws.py). The GIL lets one thread run Python at a time anyway, so one request thread per process costs
little throughput (bench/pages.py) and leaves the loop free to carry frames. The sockets' database calls run
on the thread pool (marketplace.core.sockets.database_call), never behind the pages.
"""

from django.core.handlers.asgi import ASGIHandler


class OneThreadASGIHandler(ASGIHandler):
    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # No ThreadSensitiveContext: thread-sensitive sync code goes to asgiref's one thread per process.
        await self.handle(scope, receive, send)
