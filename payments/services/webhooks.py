"""Gateway webhooks: each event acted on once, matched to our payment by the gateway's reference or, when a
crash lost that reference, by the attempt's key we sent as metadata."""

from django.db import IntegrityError, transaction

from payments.gateways import get_gateway
from payments.gateways.base import WebhookEvent
from payments.models import GatewayEvent, Payment
from payments.services.cards import payment_apply_gateway_state

HANDLED_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "payment_intent.canceled",
    "charge.refunded",
}


def payment_for_event(event: WebhookEvent) -> Payment | None:
    payment = Payment.objects.filter(gateway_reference=event.object_reference).first()
    if payment is None and event.metadata.get("attempt_key"):
        payment = Payment.objects.filter(idempotency_key=event.metadata["attempt_key"]).first()
    return payment


@transaction.atomic
def webhook_handle(event: WebhookEvent) -> str:
    """Act on a verified gateway event exactly once.

    The event id is stored first under a unique constraint: a concurrent duplicate blocks on it and then finds
    it taken. The object's *current* state is read from the gateway rather than trusting the event's copy, so
    events arriving out of order converge on the truth, and a late failure never undoes a success.
    """
    try:
        with transaction.atomic():
            record = GatewayEvent.objects.create(
                event_id=event.event_id, type=event.type, object_reference=event.object_reference
            )
    except IntegrityError:
        return "duplicate"
    if event.type not in HANDLED_EVENTS:
        outcome = "ignored"
    elif event.type == "charge.refunded":
        outcome = "noted"  # refunds are ours to start; reconciliation compares the refunded totals
    else:
        payment = payment_for_event(event)
        if payment is None:
            outcome = "unknown payment"
        else:
            state = get_gateway().retrieve(event.object_reference)
            payment_apply_gateway_state(payment=payment, state=state)
            matched = Payment.objects.filter(gateway_reference=state.reference).values_list("status", flat=True)
            outcome = matched.first() or "amount differs: left for reconciliation"
    record.outcome = outcome
    record.save(update_fields=["outcome"])
    return outcome
