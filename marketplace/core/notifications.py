"""Live pushes to open pages, sent after the current transaction commits.

Consumers listen on groups (`user-<id>` for a person's notifications; the deals and indicators apps have their
own); nothing is sent for a transaction that rolls back. A push is a courtesy on top of a change that has
already committed: when the channel layer (Redis) is down or slow, the push is logged and dropped, never raised,
so the action behind it still answers success. Pages catch up by themselves: the negotiation room reads the
history when its socket comes back, the dashboard asks the API again.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from marketplace.core.circuit import CircuitBreaker

logger = logging.getLogger(__name__)

# A group send on a healthy Redis takes about a millisecond; this only bounds a Redis that hangs.
PUSH_TIMEOUT_SECONDS = 2.0
# While the layer is failing, skip pushes for a while (settings.REDIS_RETRY_SECONDS) instead of paying a
# connection attempt each time.
push_breaker = CircuitBreaker(
    "The channel layer (live pushes)", retry_seconds=getattr(settings, "REDIS_RETRY_SECONDS", 5.0)
)


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def group_send_now(group: str, message: dict) -> bool:
    """Send `message` to `group` at once; False (and a log line) instead of an error when it could not go."""
    return group_sends_now([(group, message)])


def group_sends_now(sends: list[tuple[str, dict]]) -> bool:
    """Send each (group, message) at once, side by side; False (and a log line) if any could not go. One trip
    to the event loop for all of them: from a worker thread each trip waits its turn in a busy loop."""
    if not sends:
        return True
    layer = get_channel_layer()
    if layer is None or push_breaker.is_open:
        return False
    try:
        async_to_sync(_send_all_with_timeout)(layer, sends)
    except Exception as error:  # noqa: BLE001 - any failure of the layer (Redis down, timeout, full channel)
        push_breaker.failed(error)
        logger.debug("Push to %s dropped", ", ".join(group for group, _message in sends), exc_info=True)
        return False
    push_breaker.succeeded()
    return True


async def _send_all_with_timeout(layer, sends: list[tuple[str, dict]]) -> None:
    # Every send is tried, whichever fails: one group's failure does not hold back the others.
    sending = asyncio.gather(*(layer.group_send(group, message) for group, message in sends), return_exceptions=True)
    failures = [outcome for outcome in await asyncio.wait_for(sending, PUSH_TIMEOUT_SECONDS) if outcome is not None]
    if failures:
        raise failures[0]


def group_send_on_commit(group: str, message: dict) -> None:
    """Send `message` to `group` once the current transaction commits (at once outside one), never raising."""
    transaction.on_commit(lambda: group_send_now(group, message))


def group_sends_on_commit(sends: list[tuple[str, dict]]) -> None:
    """Send each (group, message) once the current transaction commits, side by side, never raising."""
    transaction.on_commit(lambda: group_sends_now(sends))


def notification(user_id: int, payload: dict) -> tuple[str, dict]:
    """The (group, message) that tells a person something on their open pages."""
    return user_group(user_id), {"type": "notify", "payload": payload}


def notify_user_on_commit(user_id: int, payload: dict) -> None:
    group_send_on_commit(*notification(user_id, payload))


def notify_users_on_commit(user_ids, payload: dict) -> None:
    """Tell each of these people on their open pages, once the transaction commits: one push for them all."""
    group_sends_on_commit([notification(user_id, payload) for user_id in user_ids])
