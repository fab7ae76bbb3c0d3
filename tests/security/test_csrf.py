"""CSRF: every URL of the project refuses a POST without the token, whoever sends it. The only exceptions are
listed here with what authenticates them instead: the Stripe webhook (its signature), the read-only open API
(which has no POST at all) and the open API's write operations for organisations' own systems (a bearer token
in the Authorization header, which no other site can make a browser send; a session cookie is no credential
there, so a tokenless POST is refused with 401 whoever is signed in)."""

import hashlib
import hmac
import json
import time

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import sign_in
from tests.security.test_permission_matrix import MATRIX, PREFIX_PROBES, concrete_path

pytestmark = pytest.mark.django_db

# Routes whose views are exempt from CSRF, with what a tokenless POST gets there instead. The open API's
# operations are read-only (django-ninja exempts its operation views and answers POST with 405); the webhook
# checks Stripe's signature (below).
CSRF_EXEMPT = {
    "payments/webhooks/stripe/": 400,
    "api/v1/listings": 405,
    "api/v1/listings/<listing_id>": 405,
    "api/v1/demands": 405,
    "api/v1/demands/<demand_id>": 405,
    "api/v1/indicators": 405,
    "api/v1/indicators/by/<dimension>": 405,
    "api/v1/indicators/progress": 405,
    "api/v1/organisation/listings": 401,
    "api/v1/organisation/listings/<listing_id>": 405,  # GET and PATCH only
    "api/v1/organisation/listings/<listing_id>/submit": 401,
    "api/v1/organisation/listings/<listing_id>/withdraw": 401,
    "api/v1/organisation/listings/<listing_id>/close": 401,
    "api/v1/organisation/demands": 401,
    "api/v1/organisation/demands/<demand_id>": 405,  # GET and PATCH only
    "api/v1/organisation/demands/<demand_id>/submit": 401,
    "api/v1/organisation/demands/<demand_id>/close": 401,
    # The language switch in every page's header: exempt so that anonymous pages carry no token and can be cached
    # (config/urls.py says why choosing a language needs no protection).
    "i18n/setlang/": 302,
}


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        sign_in(client, user)
    return client


def test_every_url_refuses_a_post_without_the_csrf_token(objects):
    anonymous, seller, root = csrf_client(), csrf_client(objects.world.seller), csrf_client(objects.world.root_staff)
    problems = []
    probes = [(route, probe) for route, probes in {**MATRIX, **PREFIX_PROBES}.items() for probe in probes]
    for route, probe in probes:
        path = concrete_path(route, probe, objects)
        for name, client in (("anonymous", anonymous), ("seller", seller), ("root", root)):
            response = client.post(path, probe.data(objects))
            refused = response.status_code == 403 and b"CSRF" in response.content
            if route in CSRF_EXEMPT:
                if response.status_code != CSRF_EXEMPT[route]:
                    problems.append(f"POST {path} as {name}: {response.status_code}, not {CSRF_EXEMPT[route]}")
            elif not refused:
                problems.append(f"POST {path} as {name} without a token: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_the_login_forms_of_the_admin_sites_need_the_token_too(objects):
    for path in ("/cms/login/", "/django-admin/login/", "/accounts/login/", "/_util/login/"):
        response = csrf_client().post(path, {"username": objects.world.seller.email, "password": "x"})
        assert response.status_code == 403, path


def test_a_post_with_the_token_gets_through(objects):
    client = csrf_client(objects.world.buyer)
    client.get(f"/deals/negotiations/{objects.negotiation.pk}/")  # the page sets the cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        f"/deals/negotiations/{objects.negotiation.pk}/messages/", {"body": "带令牌", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# --- The Stripe webhook: no session, no token; its signature is what counts ---------------------------------------


def stripe_signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = timestamp or int(time.time())
    signed = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signed}"


def webhook_event(event_id: str = "evt_security_1") -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "customer.created",
            "created": int(time.time()),
            "data": {"object": {"id": "cus_1", "object": "customer"}},
        }
    ).encode()


def post_webhook(payload: bytes, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return csrf_client().post("/payments/webhooks/stripe/", payload, content_type="application/json", **headers)


def test_the_stripe_webhook_refuses_an_unsigned_or_wrongly_signed_event():
    payload = webhook_event()
    assert post_webhook(payload, None).status_code == 400
    assert post_webhook(payload, stripe_signature(payload, "whsec_not_ours")).status_code == 400
    assert (
        post_webhook(payload, stripe_signature(payload, settings.STRIPE_WEBHOOK_SECRET, 1_000_000)).status_code == 400
    )
    tampered = payload.replace(b"customer.created", b"payment_intent.succeeded")
    assert post_webhook(tampered, stripe_signature(payload, settings.STRIPE_WEBHOOK_SECRET)).status_code == 400


def test_the_stripe_webhook_accepts_a_correctly_signed_event_without_a_csrf_token():
    from payments.gateways import reset_gateway
    from payments.models import GatewayEvent

    reset_gateway()
    payload = webhook_event("evt_security_2")
    response = post_webhook(payload, stripe_signature(payload, settings.STRIPE_WEBHOOK_SECRET))
    assert response.status_code == 200
    assert GatewayEvent.objects.filter(event_id="evt_security_2").exists()
