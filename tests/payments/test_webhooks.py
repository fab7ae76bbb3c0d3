"""Webhooks from a live localstripe to a live test server, and signed events replayed in every bad order."""

import hashlib
import hmac
import json
import threading
import time

import httpx
import pytest
from django.test import Client

from payments.gateways import get_gateway
from payments.gateways.base import ChargeRequest
from payments.models import GatewayEvent, InstalmentKind, Payment, PaymentStatus
from payments.signals import payment_received
from tests.payments.conftest import WEBHOOK_SECRET

pytestmark = pytest.mark.django_db(transaction=True)
WEBHOOK_PATH = "/payments/webhooks/stripe/"


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Sign as Stripe does: v1 = HMAC-SHA256(secret, "<t>.<payload>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_id: str, event_type: str, intent_id: str) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": {"id": intent_id, "object": "payment_intent"}},
        }
    )


@pytest.fixture
def webhooks_to_live_server(stripe_server, live_server):
    """localstripe sends its webhooks to the live test server, signed with the platform's secret."""
    httpx.post(
        f"{stripe_server}/_config/webhooks/platform",
        data={"url": live_server.url + WEBHOOK_PATH, "secret": WEBHOOK_SECRET},
        timeout=5,
    ).raise_for_status()


def wait_until_succeeded(payment: Payment, seconds: float = 15) -> None:
    """The webhook comes when it comes: look again for a while."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        payment.refresh_from_db()
        if payment.status == PaymentStatus.SUCCEEDED:
            return
        time.sleep(0.3)


def charge_without_recording(world, instalment, token) -> Payment:
    """The state after a crash between the gateway's answer and our bookkeeping: the card was charged, our
    payment is still pending. Only the webhook can finish the job."""
    payment = Payment.objects.create(
        instalment=instalment, method="card", amount_fen=instalment.amount_fen, gateway="stripe", created_by=world.buyer
    )
    response = get_gateway().charge(
        ChargeRequest(
            amount_fen=instalment.amount_fen,
            currency="CNY",
            payment_method_token=token,
            description="test",
            idempotency_key=f"test-{payment.pk}",
            metadata={"payment_id": str(payment.pk)},
        )
    )
    Payment.objects.filter(pk=payment.pk).update(gateway_reference=response.reference)
    payment.refresh_from_db()
    return payment


def test_localstripe_delivers_payment_intent_succeeded_and_the_instalment_is_paid(
    world, signed_deal, card_token, webhooks_to_live_server
):
    upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
    payment = charge_without_recording(world, upfront, card_token())
    wait_until_succeeded(payment)
    assert payment.status == PaymentStatus.SUCCEEDED
    upfront.refresh_from_db()
    assert upfront.status == "paid"
    assert GatewayEvent.objects.filter(type="payment_intent.succeeded", object_reference=payment.gateway_reference)


def test_a_bad_or_stale_signature_gets_400_and_changes_nothing(world, signed_deal, stripe_server, card_token):
    upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
    payment = charge_without_recording(world, upfront, card_token())
    body = event("evt_bad", "payment_intent.succeeded", payment.gateway_reference)
    client = Client()
    for header in (
        sign(body, secret="whsec_wrong"),
        sign(body, timestamp=int(time.time()) - 3600),
        "",
        "t=1,v1=deadbeef",
    ):
        response = client.post(WEBHOOK_PATH, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
        assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not GatewayEvent.objects.exists()


def test_the_same_event_replayed_many_times_in_parallel_and_out_of_order_has_exactly_one_effect(
    world, signed_deal, stripe_server, card_token
):
    received = []
    payment_received.connect(lambda sender, **kw: received.append(kw["payment"].pk), weak=False, dispatch_uid="w1")
    upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
    payment = charge_without_recording(world, upfront, card_token())
    succeeded = event("evt_ok_1", "payment_intent.succeeded", payment.gateway_reference)
    late_failure = event("evt_fail_0", "payment_intent.payment_failed", payment.gateway_reference)
    statuses = []
    lock = threading.Lock()

    def deliver(body):
        response = Client().post(WEBHOOK_PATH, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body))
        with lock:
            statuses.append(response.status_code)
        from django.db import connections

        connections.close_all()

    try:
        threads = [threading.Thread(target=deliver, args=(succeeded,)) for _ in range(8)]
        threads += [threading.Thread(target=deliver, args=(late_failure,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        deliver(late_failure)  # and once more, long after
    finally:
        payment_received.disconnect(dispatch_uid="w1")
    assert set(statuses) == {200}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert received == [payment.pk]
    assert GatewayEvent.objects.filter(event_id="evt_ok_1").count() == 1


def test_a_charge_whose_answer_a_crash_lost_is_matched_by_the_attempts_key_when_its_webhook_arrives(
    world, signed_deal, card_token, webhooks_to_live_server
):
    """The state a crash between the gateway's answer and our commit leaves: the attempt is pending and has no
    gateway reference, the card is charged. The webhook finds the attempt by the key sent as metadata."""
    from payments.models import PaymentMethod
    from payments.services.cards import charge_request, new_idempotency_key
    from payments.services.status import payment_created

    upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
    payment = payment_created(
        payment=Payment(
            instalment=upfront,
            method=PaymentMethod.CARD,
            amount_fen=upfront.amount_fen,
            gateway="stripe",
            idempotency_key=new_idempotency_key("pay"),
            payment_method_reference=card_token(),
            created_by=world.buyer,
        )
    )
    get_gateway().charge(charge_request(payment))  # the answer is dropped on the floor
    wait_until_succeeded(payment)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.gateway_reference.startswith("pi_")
    upfront.refresh_from_db()
    assert upfront.status == "paid"


def test_while_the_secret_is_rotated_events_signed_with_the_new_or_the_old_one_are_accepted(
    world, signed_deal, stripe_server, card_token, settings
):
    settings.STRIPE_WEBHOOK_SECRET = f"whsec_new_secret, {WEBHOOK_SECRET}"
    upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
    payment = charge_without_recording(world, upfront, card_token())
    client = Client()
    for name, secret in (("old", WEBHOOK_SECRET), ("new", "whsec_new_secret")):
        body = event(f"evt_rotated_{name}", "payment_intent.processing", payment.gateway_reference)
        response = client.post(
            WEBHOOK_PATH, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, secret)
        )
        assert response.status_code == 200, name
    body = event("evt_rotated_stranger", "payment_intent.succeeded", payment.gateway_reference)
    response = client.post(
        WEBHOOK_PATH, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, "whsec_someone_else")
    )
    assert response.status_code == 400
    acted_on = set(GatewayEvent.objects.filter(event_id__startswith="evt_rotated").values_list("event_id", flat=True))
    assert acted_on == {"evt_rotated_old", "evt_rotated_new"}
