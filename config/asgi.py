"""The ASGI entry point: Django for HTTP, Channels for WebSocket, served by uvicorn."""

import os
import sys

import django

from marketplace.core.asgi_handler import OneThreadASGIHandler

# The event loop that carries every WebSocket frame must win the GIL from the thread rendering pages. Python
# hands the GIL over every 5 ms by default; 1 ms keeps socket delivery prompt while pages render (bench/ws.py),
# at a small cost in page throughput (bench/pages.py).
sys.setswitchinterval(float(os.environ.get("PYTHON_SWITCH_INTERVAL", "0.001")))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# Django must be set up before anything imports models (consumers do); what get_asgi_application() does, with
# our handler (marketplace.core.asgi_handler: one request thread per process).
django.setup(set_prefix=False)
django_asgi_app = OneThreadASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from marketplace.accounts.middleware import SecondFactorSocketMiddleware  # noqa: E402
from marketplace.core.body_limit import RequestBodyLimit  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": RequestBodyLimit(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(SecondFactorSocketMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
