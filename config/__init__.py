"""The shell: settings, URLs, ASGI, WebSocket routing, the API root and health. It wires every app together and
holds no business of its own."""
