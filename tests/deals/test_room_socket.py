"""The live negotiation room over WebSocket, through the full ASGI application (session cookie, auth
middleware, routing), with the in-memory channel layer or Redis when REDIS_URL is set.

Every test is transactional: services broadcast after commit, and Channels closes database connections
between consumer messages."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from config.asgi import application
from deals.consumers import NegotiationConsumer
from deals.models import Negotiation
from deals.selectors import unread_count
from deals.services.negotiations import message_post, negotiation_pass
from marketplace.accounts.services import account_close
from marketplace.centres.models import CentreStaff
from marketplace.organisations.models import Membership
from tests.deals.factories import negotiation_opened
from tests.factories import TEST_PASSWORD, MembershipFactory, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Generous: a bound for a failing test, not a speed check (a loaded machine takes seconds to connect on PostgreSQL).
TIMEOUT = 10


@pytest.fixture
def negotiation(world, on_market) -> Negotiation:
    return negotiation_opened(world, on_market)


def logged_in_client(user) -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


async def socket_for(user, negotiation_id: int) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        client = await sync_to_async(logged_in_client)(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/negotiations/{negotiation_id}/", headers=headers)


async def join(user, negotiation: Negotiation) -> WebsocketCommunicator:
    """Connect and read the greeting: the socket is in the room."""
    communicator = await socket_for(user, negotiation.pk)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    greeting = await communicator.receive_json_from(timeout=TIMEOUT)
    assert greeting["type"] == "ready"
    return communicator


async def assert_refused(communicator: WebsocketCommunicator, code: int) -> None:
    # The consumer accepts, then closes with its code, so that a browser learns why (a refused handshake
    # reaches it only as 1006).
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    assert await communicator.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": code}


async def next_room_event(communicator: WebsocketCommunicator) -> dict:
    payload = await communicator.receive_json_from(timeout=TIMEOUT)
    assert payload["type"] == "room", payload
    return payload["event"]


def http_post(user, url: str, data: dict) -> int:
    return logged_in_client(user).post(url, data).status_code


async def test_buyer_and_seller_both_receive_what_the_other_says_over_the_socket(world, negotiation):
    buyer = await join(world.buyer, negotiation)
    seller = await join(world.seller, negotiation)

    await buyer.send_json_to({"type": "message", "body": "我们关心许可期限"})
    for communicator in (seller, buyer):
        event = await next_room_event(communicator)
        assert (event["kind"], event["body"], event["side"], event["author_id"]) == (
            "text",
            "我们关心许可期限",
            "buyer",
            world.buyer.pk,
        )

    await seller.send_json_to({"type": "message", "body": "五年可以"})
    assert (await next_room_event(buyer))["body"] == "五年可以"
    assert (await next_room_event(seller))["side"] == "seller"
    assert await database_sync_to_async(negotiation.messages.count)() == 3  # persisted, with the enquiry
    await buyer.disconnect()
    await seller.disconnect()


async def test_a_message_posted_over_http_reaches_every_socket(world, negotiation):
    buyer = await join(world.buyer, negotiation)
    seller = await join(world.seller, negotiation)
    url = reverse("negotiations:post_message", args=[negotiation.pk])
    assert await sync_to_async(http_post)(world.seller, url, {"body": "欢迎来谈"}) == 302
    for communicator in (buyer, seller):
        event = await next_room_event(communicator)
        assert (event["body"], event["side"]) == ("欢迎来谈", "seller")
    await buyer.disconnect()
    await seller.disconnect()


async def test_an_offer_posted_over_http_reaches_the_sockets(world, negotiation):
    buyer = await join(world.buyer, negotiation)
    broker = await join(world.ningbo_broker, negotiation)
    url = reverse("negotiations:propose", args=[negotiation.pk])
    form = {
        "offer-licence_type": "ordinary",
        "offer-payment_mode": "fixed",
        "offer-upfront_fee_fen": "120000",
        "offer-term_years": "3",
    }
    assert await sync_to_async(http_post)(world.seller, url, form) == 302
    for communicator in (buyer, broker):
        event = await next_room_event(communicator)
        assert (event["kind"], event["offer_version"], event["side"]) == ("offer", 1, "seller")
    await buyer.disconnect()
    await broker.disconnect()


async def test_outsiders_brokers_of_other_centres_and_anonymous_visitors_are_refused_at_connect(world, negotiation):
    for person in (world.outsider, world.hangzhou_broker, world.alliance_broker, world.stranger):
        await assert_refused(await socket_for(person, negotiation.pk), 4403)
    await assert_refused(await socket_for(None, negotiation.pk), 4401)
    await assert_refused(await socket_for(world.buyer, 999_999), 4403)


async def test_root_staff_and_the_hosting_centres_broker_may_connect_and_follow(world, negotiation):
    root = await join(world.root_staff, negotiation)
    broker = await join(world.ningbo_broker, negotiation)
    await database_sync_to_async(message_post)(negotiation=negotiation, actor=world.buyer, body="请经纪人帮忙")
    assert (await next_room_event(root))["body"] == "请经纪人帮忙"
    assert (await next_room_event(broker))["body"] == "请经纪人帮忙"
    await root.send_json_to({"type": "message", "body": "省中心已关注"})
    assert (await next_room_event(broker))["side"] == "broker"
    await root.disconnect()
    await broker.disconnect()


async def test_a_participant_removed_from_the_organisation_is_refused_on_the_next_message(world, negotiation):
    colleague = await database_sync_to_async(MembershipFactory)(organisation=world.enterprise)
    communicator = await join(colleague.user, negotiation)
    await database_sync_to_async(Membership.objects.filter(pk=colleague.pk).delete)()

    await communicator.send_json_to({"type": "message", "body": "我还在吗"})
    error = await communicator.receive_json_from(timeout=TIMEOUT)
    assert error["type"] == "error"
    assert await communicator.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4403}
    assert not await database_sync_to_async(negotiation.messages.filter(body="我还在吗").exists)()


async def assert_told_and_closed(communicator: WebsocketCommunicator) -> None:
    error = await communicator.receive_json_from(timeout=TIMEOUT)
    assert error["type"] == "error"
    assert await communicator.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4403}
    # What a server does after the application closed: tell it the socket is gone, so that it ends.
    await communicator.disconnect()


async def test_a_participant_removed_from_the_organisation_is_closed_out_at_once(world, negotiation):
    colleague = await database_sync_to_async(MembershipFactory)(organisation=world.enterprise)
    removed = await join(colleague.user, negotiation)
    buyer = await join(world.buyer, negotiation)
    await database_sync_to_async(Membership.objects.filter(pk=colleague.pk).delete)()

    # Nobody has to speak first: the removal itself reaches the socket.
    await assert_told_and_closed(removed)
    await database_sync_to_async(message_post)(negotiation=negotiation, actor=world.seller, body="这条不该送达")
    assert (await next_room_event(buyer))["body"] == "这条不该送达"
    await buyer.disconnect()


async def test_an_account_switched_off_is_closed_out_of_its_rooms(world, negotiation):
    buyer = await join(world.buyer, negotiation)
    seller = await join(world.seller, negotiation)
    world.buyer.is_active = False
    await database_sync_to_async(world.buyer.save)()

    await assert_told_and_closed(buyer)
    assert await seller.receive_nothing(timeout=0.2)
    await seller.disconnect()


async def test_a_person_who_closes_their_account_is_closed_out_of_their_rooms_at_once(world, negotiation):
    colleague = await database_sync_to_async(MembershipFactory)(organisation=world.enterprise)
    leaving = await join(colleague.user, negotiation)
    await database_sync_to_async(account_close)(user=colleague.user, password=TEST_PASSWORD)
    await assert_told_and_closed(leaving)


async def test_a_broker_whose_centre_role_ends_is_closed_out(world, negotiation):
    broker = await join(world.ningbo_broker, negotiation)
    await database_sync_to_async(CentreStaff.objects.filter(user=world.ningbo_broker).delete)()
    await assert_told_and_closed(broker)


async def test_a_removal_made_behind_the_orms_back_is_caught_by_the_periodic_check(world, negotiation, monkeypatch):
    # No signal is sent for a raw delete; the periodic re-check (normally once a minute) still closes the socket.
    monkeypatch.setattr(NegotiationConsumer, "ACCESS_TTL_SECONDS", 0.0)
    colleague = await database_sync_to_async(MembershipFactory)(organisation=world.enterprise)
    removed = await join(colleague.user, negotiation)
    buyer = await join(world.buyer, negotiation)
    rows = Membership.objects.filter(pk=colleague.pk)
    await database_sync_to_async(rows._raw_delete)(rows.db)

    await database_sync_to_async(message_post)(negotiation=negotiation, actor=world.seller, body="新的报价在路上")
    assert (await next_room_event(buyer))["body"] == "新的报价在路上"
    # The event that triggers the re-check is delivered beside it (delivery never waits for the database); then
    # the socket is told why and closed.
    assert (await removed.receive_json_from(timeout=TIMEOUT))["type"] == "room"
    await assert_told_and_closed(removed)
    await buyer.disconnect()


async def test_reading_over_the_socket_clears_the_unread_count(world, negotiation):
    message = await database_sync_to_async(message_post)(negotiation=negotiation, actor=world.buyer, body="在吗")
    seller = await join(world.seller, negotiation)
    assert await database_sync_to_async(unread_count)(negotiation, world.seller) == 2
    await seller.send_json_to({"type": "read", "up_to": message.pk + 1000})  # clamped to the last real message
    assert await seller.receive_json_from(timeout=TIMEOUT) == {"type": "read", "unread": 0}
    await database_sync_to_async(message_post)(negotiation=negotiation, actor=world.buyer, body="新消息")
    await next_room_event(seller)
    assert await database_sync_to_async(unread_count)(negotiation, world.seller) == 1
    await seller.disconnect()


async def test_garbage_frames_get_an_error_and_the_socket_stays_open(world, negotiation):
    buyer = await join(world.buyer, negotiation)
    for frame in (
        "not json",
        "[1, 2]",
        '{"type": "explode"}',
        '{"type": "message", "body": 42}',
        '{"type": "message", "body": "   "}',
        '{"type": "message", "body": "' + "长" * 4001 + '"}',
        '{"type": "read", "up_to": "x"}',
        '{"type": "read", "up_to": true}',
        "x" * 30_000,
    ):
        await buyer.send_to(text_data=frame)
        payload = await buyer.receive_json_from(timeout=TIMEOUT)
        assert payload["type"] == "error" and payload["message"], frame
    await buyer.send_to(bytes_data=b"\x00\x01")
    assert (await buyer.receive_json_from(timeout=TIMEOUT))["type"] == "error"

    await buyer.send_json_to({"type": "message", "body": "还能发"})
    assert (await next_room_event(buyer))["body"] == "还能发"
    await buyer.disconnect()


async def test_a_message_in_an_ended_negotiation_gets_an_error(world, negotiation):
    seller = await join(world.seller, negotiation)
    await database_sync_to_async(negotiation_pass)(negotiation=negotiation, actor=world.buyer, reason="price")
    event = await next_room_event(seller)
    assert (event["kind"], event["status"]) == ("event", "passed")
    await seller.send_json_to({"type": "message", "body": "再考虑一下？"})
    assert (await seller.receive_json_from(timeout=TIMEOUT))["type"] == "error"
    await seller.disconnect()


@pytest.mark.parametrize("body", ["前\x00后", "半个\ud800字符"], ids=["nul", "lone-surrogate"])
async def test_a_message_the_database_cannot_store_gets_an_error_and_the_socket_stays_up(world, negotiation, body):
    buyer = await join(world.buyer, negotiation)
    # json.dumps writes the lone surrogate as "\ud800", as a browser's JSON.stringify does.
    await buyer.send_to(text_data=json.dumps({"type": "message", "body": body}))
    error = await buyer.receive_json_from(timeout=TIMEOUT)
    assert error["type"] == "error"
    assert "NUL" in error["message"] or "Unicode" in error["message"]

    await buyer.send_json_to({"type": "message", "body": "换个说法"})
    assert (await next_room_event(buyer))["body"] == "换个说法"
    assert not await database_sync_to_async(negotiation.messages.filter(body__startswith="前").exists)()
    await buyer.disconnect()
