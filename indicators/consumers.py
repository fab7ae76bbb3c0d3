from channels.generic.websocket import AsyncJsonWebsocketConsumer

from indicators.services import INDICATORS_GROUP
from marketplace.core.sockets import SurvivesLayerOutage


class IndicatorsConsumer(SurvivesLayerOutage, AsyncJsonWebsocketConsumer):
    """The public dashboard's live feed: anyone may listen; it only ever says that figures changed (the page
    then asks the API for the figures it shows). Messages from the browser are ignored."""

    async def connect(self):
        await self.channel_layer.group_add(INDICATORS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(INDICATORS_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        return

    async def figures_changed(self, event):
        await self.send_json(event["payload"])
