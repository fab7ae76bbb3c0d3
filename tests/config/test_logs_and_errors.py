"""What an operator can see: every log line of a request carries its id (also in the response, to quote in a
support ticket), production writes one JSON object per line, and an error reaches Sentry when SENTRY_DSN is set."""

import json
import logging
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.common import ROOT
from marketplace.core.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_every_line_logged_while_serving_a_request_carries_its_id(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page-at-all/")
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 16
    lines = [record for record in caplog.records if record.name == "django.request"]
    assert lines and all(record.request_id == request_id for record in lines)


def test_the_proxys_request_id_is_kept_when_it_is_a_plain_token_and_replaced_otherwise(client):
    assert client.get("/healthz/live", HTTP_X_REQUEST_ID="edge-7f3a.91")["X-Request-ID"] == "edge-7f3a.91"
    forged = client.get("/healthz/live", HTTP_X_REQUEST_ID="x\nINFO forged line")["X-Request-ID"]
    assert "\n" not in forged and forged != "x\nINFO forged line"


def test_a_json_log_line_is_one_object_with_the_request_id():
    record = logging.LogRecord("payments", logging.ERROR, __file__, 1, "退款失败 %s", ("pi_1",), None)
    record.request_id = "abc123"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) | {"time": ""} == {
        "time": "",
        "level": "ERROR",
        "logger": "payments",
        "request_id": "abc123",
        "message": "退款失败 pi_1",
    }


class _SentryStandIn(BaseHTTPRequestHandler):
    """Sentry's ingestion endpoint as far as the SDK can tell: it takes envelopes and keeps them."""

    envelopes: list[bytes] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        _SentryStandIn.envelopes.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


ERROR_IN_A_REQUEST = """
import django, sentry_sdk
django.setup()
from django.test import Client
from django.urls import path
from config import urls

def broken(request):
    raise RuntimeError("the ledger is on fire")

urls.urlpatterns.insert(0, path("broken/", broken))
response = Client(raise_request_exception=False).get("/broken/", HTTP_X_REQUEST_ID="req-for-sentry")
assert response.status_code == 500, response.status_code
sentry_sdk.flush(5)
"""


def test_an_error_reaches_sentry_with_its_request_id_when_a_dsn_is_set():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SentryStandIn.envelopes.clear()
    try:
        env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
            "VAR_DIR": str(ROOT / "var"),
        }
        finished = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, "-c", ERROR_IN_A_REQUEST], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert finished.returncode == 0, finished.stderr[-2000:]
    finally:
        server.shutdown()
    received = b"".join(_SentryStandIn.envelopes).decode()
    assert "the ledger is on fire" in received
    assert "req-for-sentry" in received
