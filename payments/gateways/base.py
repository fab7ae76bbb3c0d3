"""The payment-gateway interface. Stripe is the first gateway; a domestic one (Alipay, WeChat Pay) would be a
second class behind the same dataclasses and exceptions. Deal and payment code never import a gateway SDK."""

from dataclasses import dataclass


class PaymentError(Exception):
    """Anything that went wrong with a payment; `message` is safe to show to the payer."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class GatewayError(PaymentError):
    """The gateway could not be reached or answered nonsense: try again later."""


class PaymentDeclined(PaymentError):
    """The payer's bank or card refused the charge."""


class InvalidSignature(PaymentError):
    """A webhook whose signature is missing, wrong or too old."""


@dataclass(frozen=True)
class ChargeRequest:
    amount_fen: int
    currency: str
    payment_method_token: str  # what the browser's card form produced
    description: str
    idempotency_key: str
    metadata: dict


@dataclass(frozen=True)
class ChargeResponse:
    reference: str  # the gateway's id for this charge (a PaymentIntent id on Stripe)
    status: str  # succeeded / processing / requires_action / failed
    amount_fen: int
    client_secret: str = ""


@dataclass(frozen=True)
class ChargeState:
    reference: str
    status: str
    amount_fen: int
    amount_refunded_fen: int


@dataclass(frozen=True)
class RefundResponse:
    reference: str
    status: str
    amount_fen: int


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    type: str
    object_reference: str
    created: int


class PaymentGateway:
    name = "base"
    # The largest single card charge the gateway accepts, in fen; bigger sums go by bank transfer.
    max_charge_fen: int = 0

    def charge(self, request: ChargeRequest) -> ChargeResponse:
        raise NotImplementedError

    def retrieve(self, reference: str) -> ChargeState:
        raise NotImplementedError

    def refund(self, reference: str, amount_fen: int, idempotency_key: str) -> RefundResponse:
        raise NotImplementedError

    def parse_webhook(self, payload: bytes, signature_header: str) -> WebhookEvent:
        raise NotImplementedError

    def list_charges(self, *, limit: int = 100) -> list[ChargeState]:
        raise NotImplementedError
