"""The payment-gateway interface. Stripe is the first gateway; a domestic one (Alipay, WeChat Pay) would be a
second class behind the same dataclasses and exceptions. Deal and payment code never import a gateway SDK."""

from dataclasses import dataclass, field


class PaymentError(Exception):
    """Anything that went wrong with a payment; `message` is safe to show to the payer."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class GatewayError(PaymentError):
    """The gateway could not be reached, failed, or refused the request. With `outcome_unknown` (no answer, or
    the gateway's own failure) a request that moves money may have been carried out all the same."""

    def __init__(self, message: str, *, code: str = "", outcome_unknown: bool = True):
        super().__init__(message, code=code)
        self.outcome_unknown = outcome_unknown


class PaymentDeclined(PaymentError):
    """The payer's bank or card refused the charge."""


class InvalidSignature(PaymentError):
    """A webhook whose signature is missing, wrong or too old."""


@dataclass(frozen=True)
class ChargeRequest:
    amount_fen: int
    currency: str
    payment_method_token: str  # what the browser's card form produced, or a saved card's reference
    description: str
    idempotency_key: str
    metadata: dict
    customer_reference: str = ""  # the saved card's customer
    off_session: bool = False  # charged without the payer present (automatic payment of a due instalment)


@dataclass(frozen=True)
class ChargeState:
    """What the gateway says about a charge: its answer to a charge request, or what it reports later."""

    reference: str  # the gateway's id for this charge (a PaymentIntent id on Stripe)
    status: str  # succeeded / processing / requires_action / failed / cancelled
    amount_fen: int
    amount_refunded_fen: int = 0
    client_secret: str = ""  # what the payer's browser needs to confirm with their bank
    metadata: dict = field(default_factory=dict)
    created: int = 0  # Unix time


# The gateway's answer to a charge request is the charge's state.
ChargeResponse = ChargeState


@dataclass(frozen=True)
class RefundState:
    reference: str
    status: str  # succeeded / pending / failed
    amount_fen: int
    metadata: dict = field(default_factory=dict)


RefundResponse = RefundState


@dataclass(frozen=True)
class CardDetails:
    """A card kept at the gateway for later charges."""

    customer_reference: str
    payment_method_reference: str
    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    type: str
    object_reference: str
    created: int
    metadata: dict = field(default_factory=dict)


class PaymentGateway:
    name = "base"
    # The largest single card charge the gateway accepts, in fen; bigger sums go by bank transfer.
    max_charge_fen: int = 0

    def charge(self, request: ChargeRequest) -> ChargeState:
        raise NotImplementedError

    def retrieve(self, reference: str) -> ChargeState:
        raise NotImplementedError

    def find_charge(self, *, attempt_key: str, created_after: int) -> ChargeState | None:
        """The charge an attempt made, looked up by the attempt's key we sent as metadata (`attempt_key`), for
        a crash that lost the gateway's answer. Charges created before `created_after` (Unix time) are skipped."""
        raise NotImplementedError

    def cancel(self, reference: str) -> ChargeState:
        raise NotImplementedError

    def refund(
        self, reference: str, amount_fen: int, idempotency_key: str, metadata: dict | None = None
    ) -> RefundState:
        raise NotImplementedError

    def find_refund(self, reference: str, *, refund_key: str) -> RefundState | None:
        """The refund made on charge `reference` with our refund key `refund_key` (sent as metadata), for a crash
        that lost the gateway's answer."""
        raise NotImplementedError

    def save_card(self, *, token: str, customer_reference: str, description: str) -> CardDetails:
        """Keep the card behind a browser token for later charges, under the given customer (a new one if
        empty)."""
        raise NotImplementedError

    def remove_card(self, *, customer_reference: str, payment_method_reference: str) -> None:
        raise NotImplementedError

    def parse_webhook(self, payload: bytes, signature_header: str) -> WebhookEvent:
        raise NotImplementedError

    def list_charges(self, *, limit: int = 100) -> list[ChargeState]:
        raise NotImplementedError
