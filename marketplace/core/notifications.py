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
    layer = get_channel_layer()
    if layer is None or push_breaker.is_open:
        return False
    try:
        async_to_sync(_send_with_timeout)(layer, group, message)
    except Exception as error:  # noqa: BLE001 - any failure of the layer (Redis down, timeout, full channel)
        push_breaker.failed(error)
        logger.debug("Push to %s dropped", group, exc_info=True)
        return False
    push_breaker.succeeded()
    return True


async def _send_with_timeout(layer, group: str, message: dict) -> None:
    await asyncio.wait_for(layer.group_send(group, message), PUSH_TIMEOUT_SECONDS)


def group_send_on_commit(group: str, message: dict) -> None:
    """Send `message` to `group` once the current transaction commits (at once outside one), never raising."""
    transaction.on_commit(lambda: group_send_now(group, message))


def notify_user_on_commit(user_id: int, payload: dict) -> None:
    group_send_on_commit(user_group(user_id), {"type": "notify", "payload": payload})
