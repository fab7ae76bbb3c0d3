"""The room's history and its live pushes: every message, offer and status change of a negotiation is a row of
its history, pushed to every open page of the negotiation after the transaction commits (never raising: see
marketplace.core.notifications)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Negotiation, NegotiationMessage, NegotiationStatus, Offer, ReadMark
from deals.selectors import participant_user_ids
from marketplace.core.notifications import (
    group_send_on_commit,
    group_sends_on_commit,
    notification,
    notify_users_on_commit,
)


def room_group(negotiation_id: int) -> str:
    return f"negotiation-{negotiation_id}"


def access_group(user_id: int) -> str:
    """Every negotiation socket of one person: told when their access may have changed (deals.receivers)."""
    return f"room-access-{user_id}"


def access_changed_on_commit(user_id: int) -> None:
    group_send_on_commit(access_group(user_id), {"type": "access.changed"})


def notify_people_on_commit(user_ids, payload: dict) -> None:
    notify_users_on_commit(sorted(user_ids), payload)


def room_post(
    negotiation: Negotiation, *, author, side: str, kind: str, body: str, offer: Offer | None = None
) -> NegotiationMessage:
    """Write one row of the room's history, push it to the room and tell the other participants."""
    message = NegotiationMessage.objects.create(
        negotiation=negotiation, author=author, side=side, kind=kind, body=body, offer=offer
    )
    Negotiation.objects.filter(pk=negotiation.pk).update(last_activity_at=timezone.now())
    event = {
        "kind": kind,
        "id": message.pk,
        "side": side,
        "author": str(author) if author else "",
        "author_id": author.pk if author else None,
        "body": body,
        "offer_id": offer.pk if offer else None,
        "offer_version": offer.version if offer else None,
        "status": negotiation.status,
        "created_at": message.created_at.isoformat(),
    }
    others = participant_user_ids(negotiation) - ({author.pk} if author else set())
    notice = {
        "message": _("New in the negotiation on “%(title)s”") % {"title": negotiation.listing.title},
        "url": f"/deals/negotiations/{negotiation.pk}/",
    }
    # The room and the others' notifications in one push: called from a socket's worker thread, each push waits
    # its turn in the server's event loop (bench/ws.py under page load: p50 580 ms with one push each, ~360 in one).
    group_sends_on_commit(
        [
            (room_group(negotiation.pk), {"type": "room.event", "event": event}),
            *(notification(user_id, notice) for user_id in sorted(others)),
        ]
    )
    return message


def rooms_leave(*, user) -> None:
    """The person's account is closing: their read marks go, and the open negotiations they followed as broker
    go back to their centre's staff as a whole. What they wrote stays in the rooms' history (the record of how a
    contract was negotiated), under the name of a closed account."""
    ReadMark.objects.filter(user=user).delete()
    Negotiation.objects.filter(broker=user, status=NegotiationStatus.OPEN).update(broker=None)
