from django.urls import path

from auctions.consumers import AuctionConsumer
from deals.consumers import NegotiationConsumer
from indicators.consumers import IndicatorsConsumer
from marketplace.core.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/negotiations/<int:pk>/", NegotiationConsumer.as_asgi()),
    path("ws/auctions/<int:pk>/", AuctionConsumer.as_asgi()),
    path("ws/indicators/", IndicatorsConsumer.as_asgi()),
]
