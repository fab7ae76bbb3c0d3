"""Stripe, through the official SDK's StripeClient. Works against Stripe and against localstripe (dev/tests).

Cards are tokenised in the browser by Stripe.js (`createToken`); the server creates and confirms the
PaymentIntent with the token's card as payment method in one call. This is the one confirmation path that
localstripe implements (it cannot confirm with a payment method given later).
"""

import stripe
from django.conf import settings

from payments.gateways.base import (
    ChargeRequest,
    ChargeResponse,
    ChargeState,
    GatewayError,
    InvalidSignature,
    PaymentDeclined,
    PaymentGateway,
    RefundResponse,
    WebhookEvent,
)

WEBHOOK_TOLERANCE_SECONDS = 300
# Stripe's per-charge ceiling: eight digits of minor units.
STRIPE_MAX_CHARGE_FEN = 99_999_999


class StripeGateway(PaymentGateway):
    name = "stripe"
    max_charge_fen = STRIPE_MAX_CHARGE_FEN

    def __init__(self, *, secret_key: str, api_base: str = "", webhook_secret: str = ""):
        options = {"base_addresses": {"api": api_base}} if api_base else {}
        self.client = stripe.StripeClient(secret_key, max_network_retries=1, **options)
        self.webhook_secret = webhook_secret

    def charge(self, request: ChargeRequest) -> ChargeResponse:
        card = self._card_from_token(request.payment_method_token)
        try:
            intent = self.client.v1.payment_intents.create(
                params={
                    "amount": request.amount_fen,
                    "currency": request.currency.lower(),
                    "payment_method": card,
                    "confirm": True,
                    # localstripe rejects `description`; the metadata carries the same information.
                    "metadata": {**request.metadata, "description": request.description},
                },
                options={"idempotency_key": request.idempotency_key},
            )
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or "The card was declined.", code=error.code or "") from None
        except stripe.StripeError as error:
            raise GatewayError(str(error.user_message or error), code=getattr(error, "code", "") or "") from None
        return ChargeResponse(
            reference=intent.id,
            status=_status(intent.status),
            amount_fen=intent.amount,
            client_secret=intent.client_secret or "",
        )

    def _card_from_token(self, token: str) -> str:
        if token.startswith(("pm_", "card_")):
            return token
        try:
            return self.client.v1.tokens.retrieve(token).card.id
        except stripe.StripeError as error:
            raise PaymentDeclined(str(error.user_message or "The card details were not accepted.")) from None

    def retrieve(self, reference: str) -> ChargeState:
        try:
            intent = self.client.v1.payment_intents.retrieve(reference)
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from None
        refunded = 0
        latest = getattr(intent, "latest_charge", None)
        # Stripe gives the charge's id; localstripe (and an expanded request) give the charge itself.
        charge_id = latest if isinstance(latest, str) else getattr(latest, "id", None)
        if charge_id:
            try:
                refunded = self.client.v1.charges.retrieve(charge_id).amount_refunded or 0
            except stripe.StripeError as error:
                raise GatewayError(str(error)) from None
        return ChargeState(
            reference=intent.id, status=_status(intent.status), amount_fen=intent.amount, amount_refunded_fen=refunded
        )

    def refund(self, reference: str, amount_fen: int, idempotency_key: str) -> RefundResponse:
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": reference, "amount": amount_fen},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise GatewayError(str(error.user_message or error)) from None
        return RefundResponse(reference=refund.id, status=refund.status, amount_fen=refund.amount)

    def parse_webhook(self, payload: bytes, signature_header: str) -> WebhookEvent:
        try:
            event = stripe.Webhook.construct_event(
                payload, signature_header, self.webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise InvalidSignature(str(error)) from None
        data_object = event.data.object
        return WebhookEvent(
            event_id=event.id, type=event.type, object_reference=getattr(data_object, "id", ""), created=event.created
        )

    def list_charges(self, *, limit: int = 100) -> list[ChargeState]:
        try:
            intents = self.client.v1.payment_intents.list(params={"limit": limit})
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from None
        return [
            ChargeState(reference=i.id, status=_status(i.status), amount_fen=i.amount, amount_refunded_fen=0)
            for i in intents.data
        ]


def _status(stripe_status: str) -> str:
    if stripe_status == "succeeded":
        return "succeeded"
    if stripe_status in ("processing", "requires_capture"):
        return "processing"
    if stripe_status in ("requires_action", "requires_confirmation"):
        return "requires_action"
    return "failed"


def gateway_from_settings() -> StripeGateway:
    return StripeGateway(
        secret_key=settings.STRIPE_SECRET_KEY,
        api_base=settings.STRIPE_API_BASE,
        webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
    )
