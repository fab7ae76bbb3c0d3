"""Push room events to every open page of a negotiation, after the transaction commits."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from marketplace.core.notifications import notify_user_on_commit


def room_group(negotiation_id: int) -> str:
    return f"negotiation-{negotiation_id}"


def broadcast_on_commit(negotiation_id: int, event: dict) -> None:
    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(room_group(negotiation_id), {"type": "room.event", "event": event})

    transaction.on_commit(send)


def notify_people_on_commit(user_ids, payload: dict) -> None:
    for user_id in user_ids:
        notify_user_on_commit(user_id, payload)
