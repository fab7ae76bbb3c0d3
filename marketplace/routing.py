from django.urls import path

from marketplace.core.consumers import NotificationConsumer
from marketplace.deals.consumers import NegotiationConsumer
from marketplace.indicators.consumers import IndicatorsConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/negotiations/<int:pk>/", NegotiationConsumer.as_asgi()),
    path("ws/indicators/", IndicatorsConsumer.as_asgi()),
]
