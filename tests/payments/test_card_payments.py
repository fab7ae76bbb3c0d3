import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from deals.models import DealStatus
from payments.models import Instalment, InstalmentKind, Payment, PaymentStatus
from payments.services import card_payment_start, payments_reconcile, refund_issue, schedule_build
from payments.signals import payment_received, payment_refunded

pytestmark = pytest.mark.django_db


def test_the_schedule_follows_the_accepted_terms_with_the_platform_fee(signed_deal):
    rows = {row.kind: row.amount_fen for row in signed_deal.instalments.all()}
    assert rows == {InstalmentKind.UPFRONT: 50_000_000, InstalmentKind.SERVICE_FEE: 500_000}
    assert schedule_build(deal=signed_deal) and signed_deal.instalments.count() == 2  # built once


def test_a_buyer_pays_the_upfront_fee_by_card_through_the_gateway(world, signed_deal, stripe_server, card_token):
    received = []
    payment_received.connect(lambda sender, **kw: received.append(kw["amount_fen"]), weak=False, dispatch_uid="pr")
    try:
        upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
        payment, _started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    finally:
        payment_received.disconnect(dispatch_uid="pr")
    assert payment.status == PaymentStatus.SUCCEEDED and payment.gateway_reference.startswith("pi_")
    upfront.refresh_from_db()
    assert upfront.status == "paid"
    assert received == [50_000_000]


def test_paying_everything_settles_the_deal(world, signed_deal, stripe_server, card_token):
    for instalment in signed_deal.instalments.all():
        card_payment_start(instalment=instalment, actor=world.buyer, token=card_token())
    signed_deal.refresh_from_db()
    assert signed_deal.status == DealStatus.SETTLED


def test_a_declined_card_leaves_the_instalment_due_and_says_so(world, signed_deal, stripe_server, card_token):
    upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
    with pytest.raises(ValidationError, match="declined|拒"):
        card_payment_start(instalment=upfront, actor=world.buyer, token=card_token("4000000000000341"))
    upfront.refresh_from_db()
    assert upfront.status == "due"
    assert Payment.objects.get(instalment=upfront).status == PaymentStatus.FAILED


def test_an_amount_above_the_card_ceiling_is_sent_to_bank_transfer(world, signed_deal, stripe_server, card_token):
    big = Instalment.objects.create(
        deal=signed_deal, kind=InstalmentKind.UPFRONT, sequence=2, amount_fen=100_000_000, due_date="2026-12-31"
    )
    with pytest.raises(ValidationError) as error:
        card_payment_start(instalment=big, actor=world.buyer, token=card_token())
    assert error.value.code == "over_card_limit"
    assert not Payment.objects.filter(instalment=big).exists()


def test_only_the_buyer_pays(world, signed_deal, stripe_server, card_token):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        card_payment_start(instalment=signed_deal.instalments.first(), actor=world.outsider, token=card_token())


def test_a_partial_and_a_full_refund_never_exceed_what_was_paid(world, signed_deal, stripe_server, card_token):
    refunded = []
    payment_refunded.connect(lambda sender, **kw: refunded.append(kw["amount_fen"]), weak=False, dispatch_uid="rf")
    try:
        upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
        payment, _started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
        refund_issue(payment=payment, actor=world.ningbo_broker, amount_fen=10_000_000, reason="部分退款")
        with pytest.raises(ValidationError):
            refund_issue(payment=payment, actor=world.ningbo_broker, amount_fen=40_000_001, reason="超额")
        refund_issue(payment=payment, actor=world.ningbo_broker, amount_fen=40_000_000, reason="全部退款")
    finally:
        payment_refunded.disconnect(dispatch_uid="rf")
    payment.refresh_from_db()
    assert payment.refunded_fen == payment.amount_fen
    assert refunded == [10_000_000, 40_000_000]


def test_reconcile_finds_nothing_when_we_agree_with_the_gateway_and_reports_a_difference(
    world, signed_deal, fresh_stripe, card_token
):
    upfront = signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)
    payment, _started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    assert payments_reconcile() == []
    call_command("payments_reconcile")
    Payment.objects.filter(pk=payment.pk).update(amount_fen=49_999_999)
    problems = payments_reconcile()
    assert [m.payment_id for m in problems] == [payment.pk]
    with pytest.raises(Exception, match="mismatch"):
        call_command("payments_reconcile")
