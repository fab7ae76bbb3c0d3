"""A site of its own for the payment tests that need real servers: uvicorn (started, killed and restarted by
the test), localstripe, and the site's database (SQLite in its folder, or a PostgreSQL database of its own).
People sign in over HTTP as a browser does, and pay with tokens from localstripe."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from stripe import StripeClient

from bench.common import ROOT, production_env
from tests.factories import TEST_PASSWORD
from tests.servers import running, tail
from tests.sites import uvicorn_command

WEBHOOK_SECRET = "whsec_payments_live"
TEST_CARD = "4242424242424242"


def loopback_client(base_url: str) -> httpx.Client:
    """An HTTP client that, like a browser, sends the production settings' Secure cookies to http://127.0.0.1
    (browsers treat loopback as a secure context; httpx does not)."""
    client = httpx.Client(base_url=base_url, timeout=60, follow_redirects=False)

    def send_every_cookie(request: httpx.Request) -> None:
        request.headers["Cookie"] = "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar)

    client.event_hooks["request"] = [send_every_cookie]
    return client


@dataclass
class Buyer:
    """A person signed in over HTTP: the session and CSRF cookies a browser would hold."""

    client: httpx.Client

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def pay(self, deal: int, instalment: int, token: str, **extra) -> httpx.Response:
        return self.client.post(
            f"/payments/deals/{deal}/card/",
            data={"instalment": instalment, "token": token, **extra},
            headers={"Accept": "application/json", "X-CSRFToken": self.csrf(), "Referer": str(self.client.base_url)},
        )

    def status(self, deal: int, instalment: int) -> dict:
        response = self.client.get(
            f"/payments/deals/{deal}/instalments/{instalment}/status/", headers={"Accept": "application/json"}
        )
        response.raise_for_status()
        return response.json()


@dataclass
class PaymentSite:
    var_dir: Path
    env: dict[str, str]
    stripe_url: str
    port: int
    logs: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=180,
        )
        return result

    def scenario(self, **extra_env: str) -> dict:
        """A new signed deal with instalments due (tests/payments/scenario.py)."""
        result = self.manage("shell", "-c", "from tests.payments.scenario import main; main()", **extra_env)
        if result.returncode != 0:
            raise RuntimeError(f"scenario failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    @contextmanager
    def server(self, *, crash_at: str = "", workers: int = 1) -> Iterator[subprocess.Popen]:
        """uvicorn on the site; with `crash_at`, it kills itself (SIGKILL) at that step of a payment."""
        log = self.var_dir / "logs" / f"uvicorn-{len(self.logs)}.log"
        self.logs.append(log)
        env = {**self.env, "CRASH_AT": crash_at}
        with running(
            uvicorn_command(self.port, workers=workers),
            env=env,
            log=log,
            ready_url=f"{self.url}/healthz/live",
            what="uvicorn",
        ) as process:
            yield process

    def log_tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{tail(log)}" for log in self.logs[-2:])

    def sign_in(self, email: str, password: str = TEST_PASSWORD) -> Buyer:
        client = loopback_client(self.url)
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = client.post(
            "/accounts/login/",
            data={"username": email, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.url}/accounts/login/"},
        )
        assert response.status_code == 302, response.text[:2000]
        return Buyer(client=client)

    # --- What the gateway holds --------------------------------------------------------------------------

    def stripe(self) -> StripeClient:
        return StripeClient("sk_test_payments_live", base_addresses={"api": self.stripe_url})

    def card_token(self, number: str = TEST_CARD) -> str:
        return (
            self.stripe()
            .v1.tokens.create(params={"card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
            .id
        )

    def charges_for(self, instalment: int) -> list:
        """Every PaymentIntent the platform created for an instalment (metadata), whatever its state."""
        found, params = [], {"limit": 100}
        while True:
            page = self.stripe().v1.payment_intents.list(params=params)
            found += [
                i for i in page.data if i.metadata and i.metadata.to_dict().get("instalment_id") == str(instalment)
            ]
            if not page.has_more:
                return found
            params = {"limit": 100, "starting_after": page.data[-1].id}

    def succeeded_charges_for(self, instalment: int) -> list:
        return [intent for intent in self.charges_for(instalment) if intent.status == "succeeded"]


def payment_site_env(var_dir: Path, stripe_url: str, database_url: str | None) -> dict[str, str]:
    env = production_env(
        var_dir,
        STRIPE_API_BASE=stripe_url,
        STRIPE_JS_URL=f"{stripe_url}/js.stripe.com/v3/",
        STRIPE_SECRET_KEY="sk_test_payments_live",
        STRIPE_PUBLISHABLE_KEY="pk_test_payments_live",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        LOG_LEVEL="INFO",
        # The scenario signs a university's deal the moment it is agreed; the public notice of agreed prices that
        # would hold it for 15 days has its own tests (tests/deals/test_price_notices.py).
        PRICE_NOTICE_DAYS="0",
    )
    env.pop("CRASH_AT", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env
