"""What the people of a deal hear when its status changes: an in-app notification on their open pages, except
for the person who made the change, who is looking at it already."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from deals.services.deals import deal_sign
from marketplace.core.consumers import NotificationConsumer
from tests.deals.factories import deal_agreed

# Services notify after commit, and Channels closes database connections between consumer messages.
pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 3


async def notifications_of(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def received(communicator: WebsocketCommunicator) -> list[dict]:
    payloads = []
    while not await communicator.receive_nothing(timeout=0.3):
        payloads.append(await communicator.receive_json_from(timeout=TIMEOUT))
    return payloads


async def test_a_deals_new_status_reaches_its_people_but_not_the_person_who_changed_it(world, on_market):
    deal = await sync_to_async(deal_agreed)(world, on_market)
    buyer, seller, broker = [
        await notifications_of(person) for person in (world.buyer, world.seller, world.ningbo_broker)
    ]
    await sync_to_async(deal_sign)(deal=deal, actor=world.buyer)  # the first signature changes no status
    await sync_to_async(deal_sign)(deal=deal, actor=world.seller)  # the second makes the contract signed

    deal_page = f"/deals/{deal.pk}/"
    assert [payload["url"] for payload in await received(buyer)] == [deal_page]
    assert [payload["url"] for payload in await received(broker)] == [deal_page]
    assert deal_page not in [payload["url"] for payload in await received(seller)]
    for communicator in (buyer, seller, broker):
        await communicator.disconnect()
