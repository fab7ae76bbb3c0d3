"""A round's live page over WebSocket: ws/auctions/<pk>/. A thin adapter over auctions.selectors and
auctions.services.bid_place.

Anyone may watch (the ladder is public, as at an exchange's auction hall); a signed-in signatory of a qualified
bidder may bid through the socket as through the page's form. The server's clock decides: every message carries
`server_now`, and the page counts down from the offset between its clock and the server's.

Client → server: {"type": "bid", "bidder": <organisation id>, "amount_fen": <int>, "ref": <any>}.
Server → client: {"type": "state", ...round_state} on connect and after any change of the round;
{"type": "bid", "bid": {...}} for every bid, named for this viewer; {"type": "bid.accepted", "ref", "sequence"}
and {"type": "error", "ref", "message"} in answer to this socket's bids.
"""

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from auctions.models import AuctionRound
from auctions.selectors import Viewer, round_state, viewer_of
from auctions.services import bid_place, round_group
from marketplace.core.forms import service_error_text
from marketplace.core.sockets import SurvivesLayerOutage, database_call
from marketplace.organisations.models import Organisation

MAX_FRAME_CHARS = 2_000


class AuctionConsumer(SurvivesLayerOutage, AsyncJsonWebsocketConsumer):
    round_id: int
    user_id: int | None = None
    viewer: Viewer = Viewer(frozenset(), False)
    joined: bool = False

    async def connect(self):
        self.round_id = int(self.scope["url_route"]["kwargs"]["pk"])
        user = self.scope.get("user")
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        state = await self._state()
        if state is None:
            await self.accept()
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(round_group(self.round_id), self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_json({"type": "state", **state})

    async def dispatch(self, message):
        # Channels runs close_old_connections before every message, a hop to the process's one sync thread. A bid
        # pushed to the round is named and sent with no database call, so it skips that hop: with 200 sockets on
        # a round every bid made 200 of them, queued on that one thread (bench/auction.py: seconds between the
        # first and the last socket told). The database calls here run on pool threads (database_call), which
        # close their own old connections before and after each call.
        if message.get("type") == "round.bid":
            await self.round_bid(message)
            return
        await super().dispatch(message)

    async def disconnect(self, code):
        if self.joined:
            await self.channel_layer.group_discard(round_group(self.round_id), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not text_data or len(text_data) > MAX_FRAME_CHARS:
            await self._error(None, _("This message cannot be read."))
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            await self._error(None, _("That was not JSON."))
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("type") != "bid":
            await self._error(None, _("Unknown request."))
            return
        ref = content.get("ref")
        if self.user_id is None:
            await self._error(ref, _("Sign in to bid."))
            return
        amount_fen = content.get("amount_fen")
        # A whole number of fen, as the page sends it (bid_place refuses anything else too; answered here
        # without a database call). bool is an int in Python: refuse true/false explicitly.
        if not isinstance(amount_fen, int) or isinstance(amount_fen, bool):
            await self._error(ref, _("Enter the amount of your bid."))
            return
        try:
            sequence = await self._bid(content.get("bidder"), amount_fen)
        except (ValidationError, PermissionDenied) as error:
            await self._error(ref, service_error_text(error))
            return
        await self.send_json({"type": "bid.accepted", "ref": ref, "sequence": sequence})

    async def _error(self, ref, message: str) -> None:
        await self.send_json({"type": "error", "ref": ref, "message": str(message)})

    async def round_bid(self, message):
        """A bid placed by anyone: named for this viewer, with no database call (the event carries it all)."""
        bid = dict(message["bid"])
        name, own = self.viewer.name_for(
            bidder_id=bid.pop("bidder_id"),
            bidder_name=bid.pop("bidder_name"),
            pseudonym_index=bid.pop("pseudonym_index"),
        )
        bid["who"], bid["own"] = name, own
        await self.send_json({"type": "bid", "bid": bid, "server_now": timezone.now().isoformat()})

    async def round_changed(self, message):
        state = await self._state()
        if state is not None:
            await self.send_json({"type": "state", **state})

    @database_call
    def _state(self) -> dict | None:
        round_ = AuctionRound.objects.select_related("top_bid").filter(pk=self.round_id).first()
        if round_ is None:
            return None
        user = get_user_model().objects.filter(pk=self.user_id, is_active=True).first() if self.user_id else None
        self.viewer = viewer_of(user, round_) if user is not None else Viewer(frozenset(), False)
        return round_state(round_, self.viewer)

    @database_call
    def _bid(self, bidder_id, amount_fen) -> int:
        # A fresh user each time: a member removed from the organisation since connecting may not bid.
        user = get_user_model().objects.filter(pk=self.user_id, is_active=True).first()
        if user is None:
            raise PermissionDenied(_("Sign in to bid."))
        bidder = Organisation.objects.filter(pk=bidder_id if type(bidder_id) is int else -1).first()
        if bidder is None:
            raise ValidationError(_("Choose the organisation you bid for."))
        round_ = AuctionRound(pk=self.round_id)
        return bid_place(round_=round_, bidder=bidder, actor=user, amount_fen=amount_fen).sequence
