"""Log lines that can be followed: every line written while a request is served carries its request id (the one
the proxy sent in X-Request-ID when it is a plain token, a new one otherwise; the response says which), and in
production each line is one JSON object, for a log collector to index."""

import json
import logging
import re

from log_request_id.middleware import RequestIDMiddleware

# A proxy's id is logged verbatim: anything but a plain token (a newline, say, forging a second line) is replaced.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")


class CheckedRequestIDMiddleware(RequestIDMiddleware):
    def _get_request_id(self, request):
        offered = request.META.get(self.request_id_header or "", "")
        if offered and not _SAFE_REQUEST_ID.fullmatch(offered):
            request.META.pop(self.request_id_header)
        return super()._get_request_id(request)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "none"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def tag_request_id(event: dict, hint: dict) -> dict:
    """Sentry's before_send: the request id on the error, to find its log lines."""
    from log_request_id import local

    request_id = getattr(local, "request_id", None)
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
