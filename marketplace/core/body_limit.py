"""Request bodies above a size are refused while they arrive, not after.

Django's ASGI handler reads the whole body (into a temporary file) before any middleware or form sees it, so the
forms' own limits (10 MB for a document) refused a 200 MB upload only after receiving all of it. This sits in
front of Django: a declared Content-Length above the limit is answered 413 before a byte of the body is read; a
body sent without one (chunked) is counted as it arrives and cut off at the limit.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


class BodyTooLarge(Exception):
    pass


class RequestBodyLimit:
    def __init__(self, app, max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.max_bytes or settings.MAX_REQUEST_BODY_BYTES
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            return await self.refuse(send, limit)

        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watching_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if not started:
                await self.refuse(send, limit)

    async def refuse(self, send, limit: int) -> None:
        # Outside Django's middleware, the visitor's language is not known yet: say it in both.
        texts = []
        for language in (settings.LANGUAGE_CODE, "en"):
            with translation.override(language):
                texts.append(_("The request is too large: the limit is %(limit)s MB.") % {"limit": limit // 1048576})
        body = "\n".join(dict.fromkeys(texts)).encode() + b"\n"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
