from channels.generic.websocket import AsyncJsonWebsocketConsumer

from marketplace.core.notifications import user_group
from marketplace.core.sockets import SurvivesLayerOutage


class NotificationConsumer(SurvivesLayerOutage, AsyncJsonWebsocketConsumer):
    """A signed-in person's live notifications (new offers, alerts, deal changes)."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify(self, event):
        await self.send_json(event["payload"])
