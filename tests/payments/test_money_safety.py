"""What the buyer and the brokers see when money does not move as planned: a second submit, a lost answer, a
duplicate charge, a refund whose answer was lost. Against the real localstripe over HTTP."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from indicators.models import Indicator, LedgerEntry
from payments.gateways import get_gateway, reset_gateway
from payments.models import InstalmentKind, InstalmentStatus, Payment, PaymentStatus, RefundStatus
from payments.selectors import payments_needing_attention
from payments.services import (
    card_attempt_cancel,
    card_payment_start,
    payment_refresh,
    payment_set_status,
    payments_reconcile_report,
    refund_issue,
)
from payments.services.cards import charge_request
from payments.services.reconciliation import pending_refunds_settle
from payments.services.status import instalment_set_status, refund_set_status
from tests.servers import free_port

pytestmark = pytest.mark.django_db

THREE_D_SECURE_CARD = "4000000000003220"


def charges_at_gateway(stripe_client, instalment) -> list:
    intents = stripe_client.v1.payment_intents.list(params={"limit": 100}).data
    return [i for i in intents if i.metadata and i.metadata.to_dict().get("instalment_id") == str(instalment.pk)]


def licensing_received(deal) -> int:
    entries = LedgerEntry.objects.filter(deal_id=deal.pk, indicator=Indicator.LICENSING_RECEIVED)
    return entries.aggregate(total=Sum("amount_fen"))["total"] or 0


@pytest.fixture(autouse=True)
def _only_this_tests_charges(fresh_stripe):
    """Count only the charges this test made at the shared localstripe."""


@pytest.fixture
def upfront(signed_deal):
    return signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)


@pytest.fixture
def gateway_unreachable(settings, stripe_server):
    """The payment service does not answer: a port where nothing listens (a real connection failure)."""
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    reset_gateway()

    def back():
        settings.STRIPE_API_BASE = stripe_server
        reset_gateway()

    yield back
    back()


def test_a_second_submit_while_the_bank_confirms_shows_that_attempt_and_charges_nothing(
    world, upfront, stripe_client, card_token
):
    first, started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token(THREE_D_SECURE_CARD))
    assert started and first.status == PaymentStatus.REQUIRES_ACTION

    again, started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    assert (again.pk, started) == (first.pk, False)
    assert len(charges_at_gateway(stripe_client, upfront)) == 1
    upfront.refresh_from_db()
    assert upfront.status == InstalmentStatus.DUE

    # The buyer gives up on the bank's confirmation and pays with another card.
    cancelled = card_attempt_cancel(payment=first, actor=world.buyer)
    assert cancelled.status == PaymentStatus.CANCELLED
    paid, started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    assert started and paid.status == PaymentStatus.SUCCEEDED and paid.attempt == 2
    assert [p.status for p in upfront.payments.order_by("attempt")] == ["cancelled", "succeeded"]


def test_a_charge_whose_answer_never_came_stays_open_until_the_gateway_says_what_happened(
    world, upfront, stripe_client, gateway_unreachable
):
    card = stripe_client.v1.tokens.create(
        params={"card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    ).card.id
    payment, started = card_payment_start(instalment=upfront, actor=world.buyer, token=card)
    assert started and payment.status == PaymentStatus.PENDING  # not "failed": the money may have moved
    again, started = card_payment_start(instalment=upfront, actor=world.buyer, token=card)
    assert (again.pk, started) == (payment.pk, False)

    gateway_unreachable()  # the payment service is back
    assert payment_refresh(payment=payment).status == PaymentStatus.PENDING  # too early to give up
    given_up = payment_refresh(payment=payment, stale_after=timedelta(0))
    assert given_up.status == PaymentStatus.FAILED and "未到达支付服务" in given_up.failure_message
    paid, started = card_payment_start(instalment=upfront, actor=world.buyer, token=card)
    assert started and paid.status == PaymentStatus.SUCCEEDED
    assert len(charges_at_gateway(stripe_client, upfront)) == 1


def test_a_lost_answer_is_found_at_the_gateway_by_the_attempts_key(world, upfront, stripe_client, card_token):
    payment, _ = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token(THREE_D_SECURE_CARD))
    # The state a crash leaves: our row open and without the gateway's reference, the charge made.
    Payment.objects.filter(pk=payment.pk).update(gateway_reference=None, status=PaymentStatus.PENDING)
    intent = charges_at_gateway(stripe_client, upfront)[0]
    stripe_client.v1.payment_intents.cancel(intent.id)

    found = payment_refresh(payment=Payment.objects.get(pk=payment.pk), stale_after=timedelta(0))
    assert found.gateway_reference == intent.id and found.status == PaymentStatus.CANCELLED


def test_money_received_twice_is_kept_as_surplus_for_a_broker_to_refund_and_never_counted(
    world, signed_deal, upfront, fresh_stripe, card_token
):
    paid, _ = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    counted = licensing_received(signed_deal)
    assert counted == upfront.amount_fen

    # A gateway that ignored the idempotency key charged the same attempt a second time.
    request = charge_request(paid)
    get_gateway().charge(request.__class__(**{**request.__dict__, "payment_method_token": card_token()}))
    report = payments_reconcile_report()
    assert report.mismatches == [] and len(report.settled) == 1, report
    duplicate = upfront.payments.get(status=PaymentStatus.SURPLUS)
    assert duplicate.surplus_fen == duplicate.amount_fen == upfront.amount_fen
    assert licensing_received(signed_deal) == counted  # the indicators did not move

    attention = payments_needing_attention(world.ningbo_broker)
    assert list(attention.surplus) == [duplicate]
    assert list(payments_needing_attention(world.hangzhou_broker).surplus) == []  # another centre's deal

    refund = refund_issue(
        payment=duplicate, actor=world.ningbo_broker, amount_fen=duplicate.amount_fen, reason="重复扣款"
    )
    assert refund.status == RefundStatus.SUCCEEDED
    duplicate.refresh_from_db()
    assert duplicate.refunded_fen == duplicate.amount_fen and duplicate.surplus_outstanding_fen == 0
    assert licensing_received(signed_deal) == counted  # returning a surplus reverses nothing
    assert list(payments_needing_attention(world.ningbo_broker).surplus) == []
    signed_deal.refresh_from_db()
    assert signed_deal.status != "cancelled"
    assert payments_reconcile_report().mismatches == []


def test_a_refund_whose_answer_was_lost_cannot_be_issued_twice_and_is_settled_by_reconciliation(
    world, upfront, stripe_server, card_token, gateway_unreachable, settings
):
    gateway_unreachable()
    paid, _ = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    reset_gateway()
    pending = refund_issue(payment=paid, actor=world.ningbo_broker, amount_fen=paid.amount_fen, reason="解除合同")
    assert pending.status == RefundStatus.PENDING
    with pytest.raises(ValidationError, match="0.01 至 0.00"):  # nothing is left to refund meanwhile
        refund_issue(payment=paid, actor=world.ningbo_broker, amount_fen=100, reason="again")
    gateway_unreachable()

    # It never reached the gateway: once nothing could still be under way, it fails and may be issued again.
    settings.PAYMENT_ATTEMPT_STALE_SECONDS = 0
    pending_refunds_settle()
    pending.refresh_from_db()
    assert pending.status == RefundStatus.FAILED
    paid.refresh_from_db()
    assert paid.refunded_fen == 0
    refund = refund_issue(payment=paid, actor=world.ningbo_broker, amount_fen=paid.amount_fen, reason="解除合同")
    assert refund.status == RefundStatus.SUCCEEDED


def test_a_refund_the_gateway_made_before_the_crash_is_found_by_its_id(world, upfront, stripe_server, card_token):
    paid, _ = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    from payments.models import Refund

    pending = Refund.objects.create(
        payment=paid,
        amount_fen=1000,
        reason="部分退款",
        status=RefundStatus.PENDING,
        idempotency_key="k-lost",
        created_by=world.ningbo_broker,
    )
    get_gateway().refund(paid.gateway_reference, 1000, "k-lost", metadata={"refund_key": "k-lost"})
    pending_refunds_settle()
    pending.refresh_from_db()
    paid.refresh_from_db()
    assert pending.status == RefundStatus.SUCCEEDED and paid.refunded_fen == 1000


def test_a_late_failure_never_undoes_money_received(world, upfront, stripe_server, card_token):
    paid, _ = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    with pytest.raises(ValidationError, match="cannot go from succeeded to failed"):
        payment_set_status(payment=paid, to_status=PaymentStatus.FAILED)
    assert paid.events.values_list("from_status", "to_status")[::1] == [("", "pending"), ("pending", "succeeded")]


def test_a_paid_instalment_and_a_finished_refund_never_move_back(world, upfront, stripe_server, card_token):
    paid, _ = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    upfront.refresh_from_db()
    assert upfront.status == InstalmentStatus.PAID
    with pytest.raises(ValidationError) as refused:
        instalment_set_status(instalment=upfront, to_status=InstalmentStatus.DUE)
    assert refused.value.code == "invalid_transition"
    refund = refund_issue(payment=paid, actor=world.ningbo_broker, amount_fen=1000, reason="部分退款")
    assert refund.status == RefundStatus.SUCCEEDED
    with pytest.raises(ValidationError):
        refund_set_status(refund=refund, to_status=RefundStatus.FAILED)
