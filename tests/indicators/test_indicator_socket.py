"""Open dashboards hear that figures changed as soon as a deal's completion commits."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from indicators.consumers import IndicatorsConsumer
from tests.indicators.conftest import completed_deal

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_dashboard_socket_receives_a_push_when_a_deal_completes(world):
    communicator = WebsocketCommunicator(IndicatorsConsumer.as_asgi(), "/ws/indicators/")
    connected, _ = await communicator.connect()  # public: no one needs to sign in
    assert connected
    assert await communicator.receive_nothing(timeout=0.1)
    await sync_to_async(completed_deal)(world, "licence")
    message = await communicator.receive_json_from(timeout=5)
    assert message["event"] == "figures_changed"
    assert message["indicators"] == ["licensing_contracted", "turnover"]
    await communicator.send_json_to({"anything": "ignored"})  # read-only: what the browser says changes nothing
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()
