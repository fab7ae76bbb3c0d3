"""The live negotiation room over WebSocket: a thin adapter over the same selectors and services as the views.

Client → server: {"type": "message", "body": "..."} and {"type": "read", "up_to": <message id>}.
Server → client: {"type": "ready", "side": ...}, {"type": "room", "event": {...}} for every message, offer or
status change (the event built by services.rooms.room_post), {"type": "read", "unread": n} and
{"type": "error", "message": "..."}.

Access is checked at connect and again for every message received, against a user freshly loaded from the
database: the selectors cache a person's memberships and staff roles on the user object, and the scope's user
lives as long as the socket, so re-using it would let someone removed from an organisation keep talking.

Delivering an event to the room never waits for the database: under load, database calls queue, and a queue in
front of every delivery made it take seconds. A message received costs one database call (the service checks
the sender's side itself), and the calls run on the thread pool (marketplace.core.sockets.database_call).
Events pushed to the room are not re-checked one by one: when a membership or centre role ends or an account
changes, the person's sockets are told (deals.receivers) and check again beside the delivery; a slow periodic
re-check covers changes made behind the ORM's back.
"""

import asyncio
import random
import time

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from deals.models import Negotiation
from deals.selectors import participant_side, unread_count
from deals.services.negotiations import mark_read, message_post
from deals.services.rooms import access_group, room_group
from marketplace.core.forms import service_error_text
from marketplace.core.sockets import SurvivesLayerOutage, background_database_call, database_call

CLOSE_ANONYMOUS = 4401
CLOSE_FORBIDDEN = 4403
MAX_FRAME_CHARS = 20_000  # a message is at most 4,000 characters; anything far larger is not a room request


class NegotiationConsumer(SurvivesLayerOutage, AsyncJsonWebsocketConsumer):
    """ws/negotiations/<pk>/: buyer, seller, the hosting centre's staff and root staff; nobody else."""

    # A message received from the person always re-checks, and a change of their access is pushed to their
    # sockets (deals.receivers). Beyond that, events pushed to the room re-check at most this often per socket,
    # beside the delivery: for changes made without the ORM (a bulk delete, SQL). Polling every few seconds
    # instead cost more database calls than the chat itself (bench/ws.py: 500 sockets).
    ACCESS_TTL_SECONDS = 60.0

    negotiation_id: int
    user_id: int
    side: str | None = None
    checked_at: float = 0.0
    joined: bool = False
    closing: bool = False
    recheck: asyncio.Future | None = None

    async def connect(self):
        user = self.scope.get("user")
        # Accept, then close with our code: a refused handshake reaches the browser only as 1006, and the page's
        # script must tell "not allowed" (stop retrying) from "connection lost" (retry).
        if user is None or not user.is_authenticated:
            await self.accept()
            await self.close(code=CLOSE_ANONYMOUS)
            return
        self.negotiation_id = int(self.scope["url_route"]["kwargs"]["pk"])
        self.user_id = user.pk
        side = await self.refresh_side()
        if side is None:
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(room_group(self.negotiation_id), self.channel_name)
        await self.channel_layer.group_add(access_group(self.user_id), self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_json({"type": "ready", "side": side})

    async def disconnect(self, code):
        self.closing = True
        if self.recheck is not None:
            self.recheck.cancel()
        if self.joined:
            await self.leave_groups()

    # --- from the browser ---------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.closing:
            return
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            await self.send_error(_("Send one JSON request at a time."))
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            await self.send_error(_("That was not JSON."))
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "message" and isinstance(content.get("body"), str):
            # One database call: the service refuses someone who no longer takes part.
            allowed, error = await self.post_message(content["body"])
            if not allowed:
                await self.refuse()
            elif error:
                await self.send_error(error)
            return
        if await self.refresh_side() is None:
            await self.refuse()
            return
        if kind == "message":
            await self.send_error(_("Write a message first."))
        elif kind == "read":
            up_to = content.get("up_to")
            # bool is an int in Python: refuse true/false explicitly.
            if not isinstance(up_to, int) or isinstance(up_to, bool) or up_to < 0:
                await self.send_error(_("“up_to” must be a message number."))
                return
            await self.send_json({"type": "read", "unread": await self.read_up_to(up_to)})
        else:
            await self.send_error(_("Unknown request."))

    # --- from the room group ------------------------------------------------------------------------------

    async def room_event(self, message):
        if self.closing:
            return
        if self.side is None:
            await self.refuse()
            return
        await self.send_json({"type": "room", "event": message["event"]})
        if time.monotonic() - self.checked_at >= self.ACCESS_TTL_SECONDS:
            self.start_recheck()

    async def access_changed(self, message):
        if not self.closing:
            self.start_recheck()

    def start_recheck(self) -> None:
        if self.recheck is None:
            self.recheck = asyncio.ensure_future(self.recheck_access())

    async def recheck_access(self) -> None:
        """Close the socket of someone who no longer takes part; at most one re-check at a time per socket."""
        try:
            self.side = await background_database_call(self._current_side)()
            # Spread over time: sockets opened together would otherwise all re-check at the same moments.
            self.checked_at = time.monotonic() + random.uniform(0, self.ACCESS_TTL_SECONDS / 5)  # noqa: S311
            if self.side is None and not self.closing:
                await self.refuse()
        finally:
            self.recheck = None

    # --- helpers ------------------------------------------------------------------------------------------

    async def send_error(self, text: str) -> None:
        await self.send_json({"type": "error", "message": text})

    async def refuse(self) -> None:
        self.closing = True
        await self.send_error(_("You no longer take part in this negotiation."))
        if self.joined:
            await self.leave_groups()
        await self.close(code=CLOSE_FORBIDDEN)

    async def leave_groups(self) -> None:
        self.joined = False
        await self.channel_layer.group_discard(room_group(self.negotiation_id), self.channel_name)
        await self.channel_layer.group_discard(access_group(self.user_id), self.channel_name)

    async def refresh_side(self) -> str | None:
        self.side = await database_call(self._current_side)()
        self.checked_at = time.monotonic()
        return self.side

    def _fresh_user(self):
        return get_user_model().objects.filter(pk=self.user_id, is_active=True).first()

    def _negotiation(self) -> Negotiation | None:
        return Negotiation.objects.select_related("listing").filter(pk=self.negotiation_id).first()

    def _current_side(self) -> str | None:
        user = self._fresh_user()
        negotiation = self._negotiation()
        if user is None or negotiation is None:
            return None
        return participant_side(negotiation, user)

    @database_call
    def post_message(self, body: str) -> tuple[bool, str | None]:
        """Post through the service, which checks the side: (still taking part, an error text or None)."""
        user = self._fresh_user()
        negotiation = self._negotiation()
        if user is None or negotiation is None:
            return False, None
        try:
            message_post(negotiation=negotiation, actor=user, body=body)
        except ValidationError as error:
            return True, service_error_text(error)
        except PermissionDenied:
            return False, None
        self.checked_at = time.monotonic()
        return True, None

    @database_call
    def read_up_to(self, up_to: int) -> int:
        """Mark read up to the last real message at or before `up_to` (a larger number would mark messages not
        yet written as read); return what is still unread."""
        user = self._fresh_user()
        negotiation = self._negotiation()
        if user is None or negotiation is None:
            return 0
        last = negotiation.messages.filter(id__lte=up_to).order_by("-id").values_list("id", flat=True).first()
        if last:
            mark_read(negotiation=negotiation, user=user, up_to_message_id=last)
        return unread_count(negotiation, user)
