"""Push room events to every open page of a negotiation, after the transaction commits (never raising: see
marketplace.core.notifications)."""

from marketplace.core.notifications import group_send_on_commit, notify_user_on_commit


def room_group(negotiation_id: int) -> str:
    return f"negotiation-{negotiation_id}"


def broadcast_on_commit(negotiation_id: int, event: dict) -> None:
    group_send_on_commit(room_group(negotiation_id), {"type": "room.event", "event": event})


def notify_people_on_commit(user_ids, payload: dict) -> None:
    for user_id in user_ids:
        notify_user_on_commit(user_id, payload)
