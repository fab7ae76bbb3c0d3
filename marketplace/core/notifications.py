"""Push a notification to a person's open pages, after the current transaction commits.

Consumers listen on the group `user-<id>`; nothing is sent for a transaction that rolls back.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def notify_user_on_commit(user_id: int, payload: dict) -> None:
    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(user_group(user_id), {"type": "notify", "payload": payload})

    transaction.on_commit(send)
