"""A bidding round's live page over WebSocket (ws/auctions/<pk>/), through the full ASGI application (session
cookie, auth middleware, routing), with the in-memory channel layer or Redis when REDIS_URL is set.

Every test is transactional: bid_place pushes the bid after commit, and Channels closes database connections
between consumer messages."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from auctions.models import AuctionRound, Bid
from auctions.services import bid_place, deposit_register
from config.asgi import application
from tests.factories import OrganisationFactory, sign_in, signatory_member

pytestmark = pytest.mark.django_db(transaction=True)

# Generous: a bound for a failing test, not a speed check.
TIMEOUT = 10
START = 100_000_000  # the hall's start price: ¥1,000,000
INCREMENT = 5_000_000


def session_cookie(user) -> str:
    client = Client()
    sign_in(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def socket_for(user, round_id: int) -> WebsocketCommunicator:
    """A page on the round as `user` (None: an anonymous visitor) sees it, with no language chosen: Chinese."""
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        cookie = await sync_to_async(session_cookie)(user)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/auctions/{round_id}/", headers=headers)


async def join(user, round_: AuctionRound) -> tuple[WebsocketCommunicator, dict]:
    """Connect and read the round's state, sent first."""
    communicator = await socket_for(user, round_.pk)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    state = await communicator.receive_json_from(timeout=TIMEOUT)
    assert state["type"] == "state", state
    return communicator, state


async def next_bid(communicator: WebsocketCommunicator) -> dict:
    payload = await communicator.receive_json_from(timeout=TIMEOUT)
    assert payload["type"] == "bid", payload
    return payload["bid"]


def stored_bids(round_: AuctionRound) -> list[int]:
    return list(Bid.objects.filter(round=round_).order_by("sequence").values_list("amount_fen", flat=True))


def place(hall, who: str, amount_fen: int) -> Bid:
    bidder, user = (hall.first, hall.first_user) if who == "first" else (hall.second, hall.second_user)
    return bid_place(round_=hall.round, bidder=bidder, actor=user, amount_fen=amount_fen)


async def test_an_anonymous_visitor_sees_the_ladder_with_pseudonyms_and_never_a_name(hall):
    await database_sync_to_async(place)(hall, "first", START)
    await database_sync_to_async(place)(hall, "second", START + INCREMENT)

    visitor, state = await join(None, hall.round)
    assert (state["round"], state["phase"], state["bid_count"]) == (hall.round.pk, "bidding", 2)
    assert (state["price_fen"], state["next_minimum_fen"]) == (START + INCREMENT, START + 2 * INCREMENT)
    assert [(row["amount_fen"], row["who"], row["own"]) for row in state["ladder"]] == [
        (START + INCREMENT, "竞买人 B", False),
        (START, "竞买人 A", False),
    ]
    text = json.dumps(state, ensure_ascii=False)
    assert hall.first.name not in text and hall.second.name not in text

    # A bid placed meanwhile (here through the service, as the page's form does) reaches the visitor named the same.
    await database_sync_to_async(place)(hall, "first", START + 2 * INCREMENT)
    bid = await next_bid(visitor)
    assert (bid["sequence"], bid["amount_fen"], bid["who"], bid["own"]) == (3, START + 2 * INCREMENT, "竞买人 A", False)
    assert "bidder_name" not in bid and "bidder_id" not in bid
    await visitor.disconnect()


async def test_a_bid_over_the_socket_is_accepted_and_every_page_is_told_naming_the_bidder_for_its_viewer(world, hall):
    bidder, _ = await join(hall.first_user, hall.round)
    rival, _ = await join(hall.second_user, hall.round)
    visitor, _ = await join(None, hall.round)
    broker, _ = await join(world.ningbo_broker, hall.round)  # staff of the hosting centre

    await bidder.send_json_to({"type": "bid", "bidder": hall.first.pk, "amount_fen": START, "ref": "r1"})
    answer = await bidder.receive_json_from(timeout=TIMEOUT)
    assert answer == {"type": "bid.accepted", "ref": "r1", "sequence": 1}
    own = await next_bid(bidder)
    assert (own["sequence"], own["amount_fen"], own["own"], own["who"]) == (1, START, True, "")
    for communicator in (rival, visitor):
        seen = await next_bid(communicator)
        assert (seen["sequence"], seen["amount_fen"], seen["own"], seen["who"]) == (1, START, False, "竞买人 A")
    staff_view = await next_bid(broker)
    assert (staff_view["who"], staff_view["own"]) == (hall.first.name, False)
    assert await database_sync_to_async(stored_bids)(hall.round) == [START]

    # The rival answers; the next minimum each page is told moves with it.
    await rival.send_json_to({"type": "bid", "bidder": hall.second.pk, "amount_fen": START + INCREMENT, "ref": 7})
    assert await rival.receive_json_from(timeout=TIMEOUT) == {"type": "bid.accepted", "ref": 7, "sequence": 2}
    for communicator, who, is_own in (
        (bidder, "竞买人 B", False),
        (rival, "", True),
        (visitor, "竞买人 B", False),
        (broker, hall.second.name, False),
    ):
        seen = await next_bid(communicator)
        assert (seen["amount_fen"], seen["who"], seen["own"]) == (START + INCREMENT, who, is_own)
        assert seen["next_minimum_fen"] == START + 2 * INCREMENT
    assert await database_sync_to_async(stored_bids)(hall.round) == [START, START + INCREMENT]
    for communicator in (bidder, rival, visitor, broker):
        await communicator.disconnect()


async def assert_refused(communicator: WebsocketCommunicator, frame: dict | str, *, says: str, ref=None) -> None:
    if isinstance(frame, dict):
        await communicator.send_json_to(frame)
    else:  # send_to refuses an empty frame; a browser may send one
        await communicator.send_input({"type": "websocket.receive", "text": frame})
    error = await communicator.receive_json_from(timeout=TIMEOUT)
    assert error["type"] == "error", (frame, error)
    assert says in error["message"], (frame, error)
    assert error["ref"] == ref, (frame, error)
    assert await communicator.receive_nothing(timeout=0.2), frame  # no bid went out to anyone


async def test_a_bid_below_the_increment_is_refused_with_the_minimum_and_nothing_is_stored(hall):
    await database_sync_to_async(place)(hall, "first", START)
    rival, _ = await join(hall.second_user, hall.round)
    below = {"type": "bid", "bidder": hall.second.pk, "amount_fen": START + INCREMENT - 1, "ref": 1}
    await assert_refused(rival, below, says="1,050,000.00", ref=1)
    first_bid_again = {"type": "bid", "bidder": hall.second.pk, "amount_fen": START, "ref": 2}
    await assert_refused(rival, first_bid_again, says="至少", ref=2)
    assert await database_sync_to_async(stored_bids)(hall.round) == [START]
    await rival.disconnect()


async def test_a_visitor_who_is_not_signed_in_is_told_to_sign_in(hall):
    visitor, _ = await join(None, hall.round)
    await assert_refused(
        visitor, {"type": "bid", "bidder": hall.first.pk, "amount_fen": START, "ref": 3}, says="请登录", ref=3
    )
    assert await database_sync_to_async(stored_bids)(hall.round) == []
    await visitor.disconnect()


async def test_an_organisation_whose_deposit_is_not_paid_cannot_bid_and_nobody_can_bid_for_another(world, hall):
    def late_registration():
        late = OrganisationFactory(name="温州迟到科技有限公司", centre=world.hangzhou)
        user = signatory_member(late)
        deposit_register(round_=hall.round, organisation=late, actor=user)
        return late, user

    late, late_user = await database_sync_to_async(late_registration)()
    latecomer, _ = await join(late_user, hall.round)
    await assert_refused(latecomer, {"type": "bid", "bidder": late.pk, "amount_fen": START}, says="保证金")
    # Bidding for a qualified organisation one does not belong to.
    await assert_refused(latecomer, {"type": "bid", "bidder": hall.first.pk, "amount_fen": START}, says="所属")
    await assert_refused(latecomer, {"type": "bid", "bidder": 999_999, "amount_fen": START}, says="机构")
    assert await database_sync_to_async(stored_bids)(hall.round) == []
    await latecomer.disconnect()


async def test_amounts_that_are_not_a_whole_number_of_fen_are_refused(hall):
    bidder, _ = await join(hall.first_user, hall.round)
    for amount in (START + 0.5, float(START), str(START), "一百万", None, True, [START], {"fen": START}):
        frame = {"type": "bid", "bidder": hall.first.pk, "amount_fen": amount, "ref": "a"}
        await assert_refused(bidder, frame, says="出价金额", ref="a")
    await assert_refused(bidder, {"type": "bid", "bidder": hall.first.pk, "ref": "b"}, says="出价金额", ref="b")
    await assert_refused(bidder, {"type": "bid", "bidder": hall.first.pk, "amount_fen": 10**15}, says="出价")
    assert await database_sync_to_async(stored_bids)(hall.round) == []

    # The socket is still good for a proper bid.
    await bidder.send_json_to({"type": "bid", "bidder": hall.first.pk, "amount_fen": START, "ref": "c"})
    assert (await bidder.receive_json_from(timeout=TIMEOUT))["type"] == "bid.accepted"
    await bidder.disconnect()


async def test_garbage_and_oversized_frames_get_an_error_and_the_socket_stays_open(hall):
    bidder, _ = await join(hall.first_user, hall.round)
    for frame, says in (
        ("not json", "JSON"),
        ("", "无法读取"),
        ("[1, 2]", "未知请求"),
        ('"bid"', "未知请求"),
        ('{"type": "explode"}', "未知请求"),
        ('{"amount_fen": 100000000}', "未知请求"),
        (json.dumps({"type": "bid", "bidder": hall.first.pk, "amount_fen": START, "ref": "长" * 3000}), "无法读取"),
        ("x" * 30_000, "无法读取"),
    ):
        await assert_refused(bidder, frame, says=says)
    await bidder.send_to(bytes_data=b"\x00\x01")
    assert (await bidder.receive_json_from(timeout=TIMEOUT))["type"] == "error"
    assert await database_sync_to_async(stored_bids)(hall.round) == []

    await bidder.send_json_to({"type": "bid", "bidder": hall.first.pk, "amount_fen": START, "ref": 1})
    assert (await bidder.receive_json_from(timeout=TIMEOUT))["type"] == "bid.accepted"
    assert await database_sync_to_async(stored_bids)(hall.round) == [START]
    await bidder.disconnect()


async def test_a_round_that_does_not_exist_closes_with_4404(hall):
    communicator = await socket_for(None, 999_999)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected  # accepted, then closed with the reason, so that a browser learns it (not just 1006)
    assert await communicator.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4404}
    signed_in = await socket_for(hall.first_user, 999_999)
    assert (await signed_in.connect(timeout=TIMEOUT))[0]
    assert await signed_in.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4404}
