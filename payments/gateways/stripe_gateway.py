"""Stripe, through the official SDK's StripeClient. Works against Stripe and against localstripe (dev/tests).

Cards are tokenised in the browser by Stripe.js (`createToken`); the server creates and confirms the
PaymentIntent with the token's card as payment method in one call. This is the one confirmation path that
localstripe implements (it cannot confirm with a payment method given later). A card kept for later is a card
source of a Customer, made from the same kind of token (localstripe has no SetupIntents).
"""

import stripe
from django.conf import settings

from payments.gateways.base import (
    CardDetails,
    ChargeRequest,
    ChargeState,
    GatewayError,
    InvalidSignature,
    PaymentDeclined,
    PaymentGateway,
    RefundState,
    WebhookEvent,
)

WEBHOOK_TOLERANCE_SECONDS = 300
# Stripe's per-charge ceiling: eight digits of minor units.
STRIPE_MAX_CHARGE_FEN = 99_999_999
# A request that takes longer is abandoned (and retried once with the same idempotency key by the SDK); the
# payment stays open until the truth is known. Reconciliation waits longer than this before it looks.
REQUEST_TIMEOUT_SECONDS = 30
# find_charge reads at most this many pages of 100 PaymentIntents.
FIND_MAX_PAGES = 20


class StripeGateway(PaymentGateway):
    name = "stripe"
    max_charge_fen = STRIPE_MAX_CHARGE_FEN

    def __init__(self, *, secret_key: str, api_base: str = "", webhook_secret: str = ""):
        options = {"base_addresses": {"api": api_base}} if api_base else {}
        self.client = stripe.StripeClient(
            secret_key,
            max_network_retries=1,
            http_client=stripe.new_default_http_client(timeout=REQUEST_TIMEOUT_SECONDS),
            **options,
        )
        self.webhook_secret = webhook_secret

    def charge(self, request: ChargeRequest) -> ChargeState:
        card = self._card_from_token(request.payment_method_token, request.customer_reference)
        params = {
            "amount": request.amount_fen,
            "currency": request.currency.lower(),
            "payment_method": card,
            "confirm": True,
            # localstripe rejects `description`; the metadata carries the same information.
            "metadata": {**request.metadata, "description": request.description},
        }
        if request.customer_reference:
            params["customer"] = request.customer_reference
        if request.off_session:
            params["off_session"] = True
        try:
            intent = self.client.v1.payment_intents.create(
                params=params, options={"idempotency_key": request.idempotency_key}
            )
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or "The card was declined.", code=error.code or "") from None
        except stripe.StripeError as error:
            raise _gateway_error(error) from None
        return _state(intent)

    def _card_from_token(self, token: str, customer_reference: str) -> str:
        if token.startswith(("pm_", "card_")) or customer_reference:
            return token
        try:
            return self.client.v1.tokens.retrieve(token).card.id
        except stripe.StripeError as error:
            raise PaymentDeclined(str(error.user_message or "The card details were not accepted.")) from None

    def retrieve(self, reference: str) -> ChargeState:
        try:
            intent = self.client.v1.payment_intents.retrieve(reference)
        except stripe.StripeError as error:
            raise _gateway_error(error) from None
        refunded = 0
        latest = getattr(intent, "latest_charge", None)
        # Stripe gives the charge's id; localstripe (and an expanded request) give the charge itself.
        charge_id = latest if isinstance(latest, str) else getattr(latest, "id", None)
        if charge_id:
            try:
                refunded = self.client.v1.charges.retrieve(charge_id).amount_refunded or 0
            except stripe.StripeError as error:
                raise _gateway_error(error) from None
        return _state(intent, refunded=refunded)

    def find_charge(self, *, attempt_key: str, created_after: int) -> ChargeState | None:
        # Stripe lists newest first and localstripe oldest first, so the pages are read without stopping early;
        # Stripe's search API would do, but lags behind by up to a minute and localstripe lacks it.
        params: dict = {"limit": 100}
        for _page in range(FIND_MAX_PAGES):
            try:
                page = self.client.v1.payment_intents.list(params=params)
            except stripe.StripeError as error:
                raise _gateway_error(error) from None
            for intent in page.data:
                metadata = _metadata(intent)
                if metadata.get("attempt_key") == attempt_key and (intent.created or 0) >= created_after:
                    return self.retrieve(intent.id)
            if not page.has_more or not page.data:
                return None
            params = {"limit": 100, "starting_after": page.data[-1].id}
        return None

    def cancel(self, reference: str) -> ChargeState:
        try:
            intent = self.client.v1.payment_intents.cancel(reference)
        except stripe.InvalidRequestError:
            return self.retrieve(reference)  # it can no longer be cancelled: say what it is instead
        except stripe.StripeError as error:
            raise _gateway_error(error) from None
        return _state(intent)

    def refund(
        self, reference: str, amount_fen: int, idempotency_key: str, metadata: dict | None = None
    ) -> RefundState:
        params = {"payment_intent": reference, "amount": amount_fen}
        if metadata:
            params["metadata"] = metadata
        try:
            refund = self.client.v1.refunds.create(params=params, options={"idempotency_key": idempotency_key})
        except stripe.StripeError as error:
            raise _gateway_error(error) from None
        return RefundState(
            reference=refund.id, status=refund.status, amount_fen=refund.amount, metadata=_metadata(refund)
        )

    def find_refund(self, reference: str, *, refund_key: str) -> RefundState | None:
        # Read like find_charge: every page, newest first on Stripe, oldest first on localstripe.
        params: dict = {"limit": 100}
        for _page in range(FIND_MAX_PAGES):
            try:
                page = self.client.v1.refunds.list(params=params)
            except stripe.StripeError as error:
                raise _gateway_error(error) from None
            for refund in page.data:
                if _metadata(refund).get("refund_key") == refund_key and _intent_of(refund) in (reference, None):
                    return RefundState(
                        reference=refund.id, status=refund.status, amount_fen=refund.amount, metadata=_metadata(refund)
                    )
            if not page.has_more or not page.data:
                return None
            params = {"limit": 100, "starting_after": page.data[-1].id}
        return None

    def save_card(self, *, token: str, customer_reference: str, description: str) -> CardDetails:
        try:
            if customer_reference:
                card = self.client.v1.customers.payment_sources.create(customer_reference, params={"source": token})
            else:
                customer = self.client.v1.customers.create(params={"description": description, "source": token})
                customer_reference = customer.id
                card = self.client.v1.customers.payment_sources.retrieve(customer.id, customer.default_source)
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or "The card was declined.", code=error.code or "") from None
        except stripe.StripeError as error:
            raise _gateway_error(error) from None
        return CardDetails(
            customer_reference=customer_reference,
            payment_method_reference=card.id,
            brand=getattr(card, "brand", "") or "",
            last4=getattr(card, "last4", "") or "",
            exp_month=getattr(card, "exp_month", None),
            exp_year=getattr(card, "exp_year", None),
        )

    def remove_card(self, *, customer_reference: str, payment_method_reference: str) -> None:
        try:
            self.client.v1.customers.payment_sources.delete(customer_reference, payment_method_reference)
        except stripe.StripeError as error:
            raise _gateway_error(error) from None

    def parse_webhook(self, payload: bytes, signature_header: str) -> WebhookEvent:
        # Several secrets, comma-separated, while one is rotated: the endpoint's new secret and the old one until
        # it expires (the runbook in docs/operations.md). An event signed with any of them is genuine.
        secrets = [secret.strip() for secret in self.webhook_secret.split(",") if secret.strip()] or [""]
        for secret in secrets:
            try:
                event = stripe.Webhook.construct_event(
                    payload, signature_header, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
                )
                break
            except (ValueError, stripe.SignatureVerificationError) as error:
                failure = error
        else:
            raise InvalidSignature(str(failure)) from None
        data_object = event.data.object
        return WebhookEvent(
            event_id=event.id,
            type=event.type,
            object_reference=getattr(data_object, "id", ""),
            created=event.created,
            metadata=_metadata(data_object),
        )

    def list_charges(self, *, limit: int = 100) -> list[ChargeState]:
        try:
            intents = self.client.v1.payment_intents.list(params={"limit": limit})
        except stripe.StripeError as error:
            raise _gateway_error(error) from None
        return [_state(intent) for intent in intents.data]


def _metadata(obj) -> dict:
    metadata = getattr(obj, "metadata", None)
    if metadata is None:
        return {}
    return {str(key): str(value) for key, value in metadata.to_dict().items()} if hasattr(metadata, "to_dict") else {}


def _intent_of(refund) -> str | None:
    intent = getattr(refund, "payment_intent", None)
    return intent if isinstance(intent, str) else getattr(intent, "id", None)


def _state(intent, *, refunded: int = 0) -> ChargeState:
    return ChargeState(
        reference=intent.id,
        status=_status(intent.status),
        amount_fen=intent.amount,
        amount_refunded_fen=refunded,
        client_secret=getattr(intent, "client_secret", "") or "",
        metadata=_metadata(intent),
        created=getattr(intent, "created", 0) or 0,
    )


def _gateway_error(error: stripe.StripeError) -> GatewayError:
    # No answer, or the gateway's own failure: a request that moves money may have been carried out.
    unknown = isinstance(error, (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError))
    return GatewayError(
        str(error.user_message or error), code=getattr(error, "code", "") or "", outcome_unknown=unknown
    )


def _status(stripe_status: str) -> str:
    if stripe_status == "succeeded":
        return "succeeded"
    if stripe_status in ("processing", "requires_capture"):
        return "processing"
    if stripe_status in ("requires_action", "requires_confirmation"):
        return "requires_action"
    if stripe_status == "canceled":
        return "cancelled"
    return "failed"


def gateway_from_settings() -> StripeGateway:
    return StripeGateway(
        secret_key=settings.STRIPE_SECRET_KEY,
        api_base=settings.STRIPE_API_BASE,
        webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
    )
