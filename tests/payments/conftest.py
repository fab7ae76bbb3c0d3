"""A real localstripe server for the payments tests, started once per test session, spoken to over HTTP."""

import os

import httpx
import pytest
from stripe import StripeClient

from payments.gateways import reset_gateway
from tests.deals.conftest import on_market  # noqa: F401 - the fixture shared with the deals tests
from tests.deals.factories import deal_signed
from tests.servers import free_port, localstripe_command, localstripe_ready_url, running

WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    state_dir = tmp_path_factory.mktemp("localstripe")
    command = localstripe_command(port, state_dir)
    log, ready_url = state_dir / "server.log", localstripe_ready_url(url)
    with running(command, env=dict(os.environ), log=log, ready_url=ready_url, what="localstripe"):
        yield url


@pytest.fixture
def stripe_server(settings, localstripe_url):
    """Point the platform's Stripe gateway at the live localstripe server."""
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    reset_gateway()
    yield localstripe_url
    reset_gateway()


@pytest.fixture
def fresh_stripe(stripe_server):
    """The shared localstripe emptied: charges left by earlier tests (whose rows were rolled back) would read as
    charges nobody here knows of."""
    httpx.delete(f"{stripe_server}/_config/data", timeout=5).raise_for_status()
    return stripe_server


@pytest.fixture
def stripe_client(stripe_server):
    return StripeClient("sk_test_localstripe", base_addresses={"api": stripe_server})


@pytest.fixture
def card_token(stripe_client):
    """What Stripe.js's createToken gives the browser for a card number."""

    def make(number: str = "4242424242424242") -> str:
        token = stripe_client.v1.tokens.create(
            params={"card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
        )
        return token.id

    return make


@pytest.fixture
def signed_deal(world, on_market):  # noqa: F811
    """A licence deal with an upfront fee, signed by both parties: its schedule is due."""
    return deal_signed(world, on_market)


@pytest.fixture(scope="session")
def payment_site(tmp_path_factory):
    """A migrated site with its own localstripe; each test starts (and kills) its own uvicorn on it."""
    from tests.payments.live import PaymentSite, payment_site_env
    from tests.servers import localstripe_command, localstripe_ready_url
    from tests.sites import prepare, throwaway_database

    var_dir = tmp_path_factory.mktemp("payments-site")
    stripe_port, app_port = free_port(), free_port()
    stripe_url = f"http://127.0.0.1:{stripe_port}"
    with throwaway_database("payments") as database_url:
        env = payment_site_env(var_dir, stripe_url, database_url)
        prepare(env, var_dir, steps=(["migrate", "--noinput"],))
        with running(
            localstripe_command(stripe_port, var_dir / "localstripe"),
            env=env,
            log=var_dir / "logs" / "localstripe.log",
            ready_url=localstripe_ready_url(stripe_url),
            what="localstripe",
        ):
            yield PaymentSite(var_dir=var_dir, env=env, stripe_url=stripe_url, port=app_port)
