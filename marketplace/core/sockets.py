"""What every WebSocket consumer of the platform shares: a channel layer outage closes the socket, it does not
crash it.

When Redis stops, channels-redis raises from inside the consumer's receive loop (and from group_add at the next
connect). Uncaught, that is a traceback in the log for every open page and every reconnect attempt, and a
socket cut without a close frame. With this mixin the socket is closed with 1011 ("try again later"), one
warning line is logged, and the page's script does what it does for any lost connection: it polls over HTTP
and reconnects with backoff until the layer is back.
"""

import contextlib
import functools
import logging
from concurrent.futures import ThreadPoolExecutor

from channels.db import DatabaseSyncToAsync
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CLOSE_TRY_AGAIN = 1011

# Channels' database_sync_to_async runs every consumer's database call of a process on one shared thread (HTTP
# requests each get their own). Under page load that thread is a queue, and delivery waits in it. A consumer's
# calls are independent of each other (a fresh user and rows each time), so they may run on the pool instead;
# each pooled thread takes its own connection from the database pool (SQLite: WAL with a busy timeout).
database_call = functools.partial(DatabaseSyncToAsync, thread_sensitive=False)

# Checks that nothing waits for (a socket's periodic access re-check) get two threads of their own: every socket
# of a process re-checks every few seconds, and in the pool those bursts queued in front of the messages people
# send (bench/ws.py: seconds of delay with 500 sockets).
_background_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="socket-checks")
background_database_call = functools.partial(DatabaseSyncToAsync, thread_sensitive=False, executor=_background_checks)


class SurvivesLayerOutage:
    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except (RedisError, OSError) as error:
            path, reason = scope.get("path"), f"{type(error).__name__}: {error}"
            logger.warning("Closing the socket %s: the channel layer failed (%s)", path, reason)
            # The connection may already be gone; then there is nothing left to tell.
            with contextlib.suppress(Exception):
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})
