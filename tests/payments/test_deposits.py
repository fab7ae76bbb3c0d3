"""Auction deposits (竞买保证金): a bidder's signatory pays the centre running the auction by card or bank
transfer before any deal exists; the money is held (never booked as licensing revenue), then returned to a
bidder who did not win, credited to the price of the winner's deal, or forfeited by a winner who walked away."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from deals.models import DealStatus
from indicators.models import Indicator, LedgerEntry
from payments.gateways import get_gateway
from payments.models import (
    Instalment,
    InstalmentKind,
    InstalmentStatus,
    PaymentEvent,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from payments.services import (
    bank_transfer_confirm,
    bank_transfer_declare,
    bank_transfer_record,
    card_payment_start,
    deposit_credit_to_deal,
    deposit_forfeit,
    deposit_instalment_open,
    deposit_ledger,
    deposit_refund,
    instalments_charge_automatically,
    overdue_reminders_send,
    payments_reconcile,
    refund_issue,
)
from payments.signals import deposit_paid, payment_received, payment_refunded
from tests.deals.factories import deal_agreed, sign_contract
from tests.factories import MembershipFactory, UserFactory, sign_in
from tests.payments.factories import receipt

pytestmark = pytest.mark.django_db

DEPOSIT_FEN = 5_000_000  # ¥50,000


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def deposit(world):
    return deposit_instalment_open(
        payer=world.enterprise,
        centre=world.ningbo,
        amount_fen=DEPOSIT_FEN,
        reference="auction-7/bidder-enterprise",
        label="竞价 #7 一种锂电池正极材料",
    )


@contextmanager
def heard(signal):
    calls = []
    uid = f"test-deposits-{id(calls)}"
    signal.connect(lambda sender, **kwargs: calls.append(kwargs), weak=False, dispatch_uid=uid)
    try:
        yield calls
    finally:
        signal.disconnect(dispatch_uid=uid)


def licensing_received(deal_id=None):
    entries = LedgerEntry.objects.filter(indicator=Indicator.LICENSING_RECEIVED)
    return entries.filter(deal_id=deal_id) if deal_id is not None else entries


def pay_by_transfer(deposit, world, reference="B-2026-0001"):
    """The bidder's signatory announces the transfer; a Ningbo broker records it; a second staff member confirms."""
    declared = bank_transfer_declare(
        instalment=deposit,
        actor=world.buyer,
        payer=world.enterprise.name,
        transferred_on=timezone.localdate(),
        evidence=receipt(),
    )
    bank_transfer_record(
        instalment=deposit,
        actor=world.ningbo_broker,
        payer=world.enterprise.name,
        amount_fen=DEPOSIT_FEN,
        transferred_on=timezone.localdate(),
        bank_reference=reference,
    )
    return bank_transfer_confirm(payment=declared, actor=world.root_staff)


def test_a_deposit_is_opened_once_per_reference_due_today_and_owes_no_deal(world, deposit):
    again = deposit_instalment_open(
        payer=world.enterprise, centre=world.ningbo, amount_fen=1, reference=deposit.reference, label="x"
    )
    assert again.pk == deposit.pk and again.amount_fen == DEPOSIT_FEN
    assert deposit.kind == InstalmentKind.DEPOSIT and deposit.deal is None
    assert deposit.status == InstalmentStatus.DUE and deposit.due_date == timezone.localdate()
    assert deposit.get_kind_display() == "Auction deposit"
    with translation.override("zh-hans"):
        assert deposit.get_kind_display() == "竞买保证金"
    assert Instalment.objects.filter(kind=InstalmentKind.DEPOSIT).count() == 1


def test_an_instalment_without_a_deal_must_be_a_deposit_with_its_payer_and_centre(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.create(kind=InstalmentKind.UPFRONT, amount_fen=100, due_date=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.create(
            kind=InstalmentKind.DEPOSIT, payer=world.enterprise, amount_fen=100, due_date=timezone.localdate()
        )


def test_a_bidders_signatory_pays_a_deposit_by_card_and_it_is_held_never_booked(
    world, deposit, fresh_stripe, card_token
):
    with heard(deposit_paid) as paid, heard(payment_received) as received:
        payment, started = card_payment_start(instalment=deposit, actor=world.buyer, token=card_token())
        # A second click finds the deposit paid: no second charge, no second announcement.
        with pytest.raises(ValidationError):
            card_payment_start(instalment=deposit, actor=world.buyer, token=card_token())
    assert started and payment.status == PaymentStatus.SUCCEEDED
    state = get_gateway().retrieve(payment.gateway_reference)
    assert state.status == "succeeded" and state.amount_fen == DEPOSIT_FEN
    deposit.refresh_from_db()
    assert deposit.status == InstalmentStatus.PAID and deposit.paid_at is not None
    assert [(call["instalment"].pk, call["payment"].pk) for call in paid] == [(deposit.pk, payment.pk)]
    assert received == []
    assert not licensing_received().exists()
    ledger = deposit_ledger(instalment_ids=[deposit.pk])
    assert (ledger["received"], ledger["held"], ledger["refunded"], ledger["balanced"]) == (
        DEPOSIT_FEN,
        DEPOSIT_FEN,
        0,
        True,
    )
    assert not [m for m in payments_reconcile() if m.reference.startswith("deposit")]


def test_a_member_who_is_not_a_signatory_or_another_organisation_cannot_pay_the_deposit(
    world, deposit, stripe_server, card_token
):
    clerk = MembershipFactory(organisation=world.enterprise, user=UserFactory()).user
    with pytest.raises(PermissionDenied):
        card_payment_start(instalment=deposit, actor=clerk, token=card_token())
    with pytest.raises(PermissionDenied):
        bank_transfer_declare(
            instalment=deposit,
            actor=clerk,
            payer=world.enterprise.name,
            transferred_on=timezone.localdate(),
            evidence=receipt(),
        )
    with pytest.raises(PermissionDenied, match="bidder"):
        card_payment_start(instalment=deposit, actor=world.outsider, token=card_token())
    assert not deposit.payments.exists()


def test_a_transfer_is_declared_recorded_and_confirmed_by_two_staff_of_the_holding_centre(world, deposit):
    with heard(deposit_paid) as paid, heard(payment_received) as received:
        declared = bank_transfer_declare(
            instalment=deposit,
            actor=world.buyer,
            payer=world.enterprise.name,
            transferred_on=timezone.localdate(),
            evidence=receipt(),
        )
        for outsider_staff in (world.hangzhou_broker, world.alliance_broker):
            with pytest.raises(PermissionDenied):
                bank_transfer_record(
                    instalment=deposit,
                    actor=outsider_staff,
                    payer=world.enterprise.name,
                    amount_fen=DEPOSIT_FEN,
                    transferred_on=timezone.localdate(),
                    bank_reference="B-1",
                )
        bank_transfer_record(
            instalment=deposit,
            actor=world.ningbo_broker,
            payer=world.enterprise.name,
            amount_fen=DEPOSIT_FEN,
            transferred_on=timezone.localdate(),
            bank_reference="B-1",
        )
        with pytest.raises(PermissionDenied):
            bank_transfer_confirm(payment=declared, actor=world.ningbo_broker)  # four eyes
        assert paid == []
        confirmed = bank_transfer_confirm(payment=declared, actor=world.root_staff)
    assert confirmed.status == PaymentStatus.SUCCEEDED
    deposit.refresh_from_db()
    assert deposit.status == InstalmentStatus.PAID
    assert len(paid) == 1 and received == []
    assert not licensing_received().exists()


def test_refunding_a_card_deposit_twice_refunds_it_once_even_without_a_person(world, deposit, fresh_stripe, card_token):
    payment, _ = card_payment_start(instalment=deposit, actor=world.buyer, token=card_token())
    with heard(payment_refunded) as refunded_signals:
        first = deposit_refund(instalment=deposit, reason="未中标，退还保证金")
        second = deposit_refund(instalment=deposit, reason="未中标，退还保证金")
    assert [(r.amount_fen, r.status, r.created_by) for r in first] == [(DEPOSIT_FEN, RefundStatus.SUCCEEDED, None)]
    assert second == []
    assert Refund.objects.filter(payment=payment).count() == 1
    assert get_gateway().retrieve(payment.gateway_reference).amount_refunded_fen == DEPOSIT_FEN
    deposit.refresh_from_db()
    assert deposit.status == InstalmentStatus.REFUNDED and deposit.get_status_display() == "Refunded"
    assert refunded_signals == []  # never booked, so nothing to reverse
    ledger = deposit_ledger(instalment_ids=[deposit.pk])
    assert (ledger["refunded"], ledger["held"], ledger["balanced"]) == (DEPOSIT_FEN, 0, True)
    assert not [m for m in payments_reconcile() if m.reference.startswith("deposit")]


def test_a_transfer_deposit_is_refunded_by_staff_of_the_centre_only(world, deposit):
    pay_by_transfer(deposit, world)
    with pytest.raises(PermissionDenied):
        deposit_refund(instalment=deposit, reason="未中标", actor=world.hangzhou_broker)
    refunds = deposit_refund(instalment=deposit, reason="未中标", actor=world.ningbo_broker)
    assert [(r.amount_fen, r.created_by) for r in refunds] == [(DEPOSIT_FEN, world.ningbo_broker)]
    assert deposit_refund(instalment=deposit, reason="未中标", actor=world.ningbo_broker) == []
    deposit.refresh_from_db()
    assert deposit.status == InstalmentStatus.REFUNDED


def test_a_deposit_never_paid_is_cancelled_by_the_refund_and_cannot_be_paid_afterwards(
    world, deposit, stripe_server, card_token
):
    assert deposit_refund(instalment=deposit, reason="竞价结束") == []
    deposit.refresh_from_db()
    assert deposit.status == InstalmentStatus.CANCELLED
    with pytest.raises(ValidationError):
        card_payment_start(instalment=deposit, actor=world.buyer, token=card_token())


def test_the_winners_deposit_is_credited_to_the_price_and_booked_exactly_once(
    world, on_market, deposit, stripe_server, card_token
):
    card_payment_start(instalment=deposit, actor=world.buyer, token=card_token())
    # The order the auctions app uses: the deal is created (deal_agreed builds its schedule), then the credit.
    deal = deal_agreed(world, on_market)
    upfront = deal.instalments.get(kind=InstalmentKind.UPFRONT)
    fee = deal.instalments.get(kind=InstalmentKind.SERVICE_FEE)
    assert upfront.amount_fen == 50_000_000
    with heard(payment_received) as received:
        deposit_credit_to_deal(instalment=deposit, deal=deal)
        deposit_credit_to_deal(instalment=deposit, deal=deal)  # idempotent
    upfront.refresh_from_db()
    fee.refresh_from_db()
    deposit.refresh_from_db()
    assert upfront.amount_fen == 50_000_000 - DEPOSIT_FEN and upfront.status == InstalmentStatus.DUE
    assert fee.amount_fen == 500_000  # the platform's fee is not reduced
    assert deposit.deal == deal and deposit.kind == InstalmentKind.DEPOSIT
    assert deposit.status == InstalmentStatus.CREDITED and deposit.get_status_display() == "Credited to the price"
    assert [(c["deal"].pk, c["amount_fen"], c["kind"]) for c in received] == [
        (deal.pk, DEPOSIT_FEN, InstalmentKind.UPFRONT)
    ]
    assert [e.amount_fen for e in licensing_received(deal.pk)] == [DEPOSIT_FEN]
    # The schedule is not built again around the deposit now in the deal.
    assert deal.instalments.exclude(kind=InstalmentKind.DEPOSIT).count() == 2
    # The winner pays the rest once the contract is signed; the licensing revenue totals the price once.
    deal = sign_contract(world, deal)
    for instalment in deal.instalments.filter(status=InstalmentStatus.DUE):
        card_payment_start(instalment=instalment, actor=world.buyer, token=card_token())
    assert sum(e.amount_fen for e in licensing_received(deal.pk)) == 50_000_000
    deal.refresh_from_db()
    assert deal.status == DealStatus.SETTLED
    ledger = deposit_ledger(instalment_ids=[deposit.pk])
    assert (ledger["credited"], ledger["held"], ledger["balanced"]) == (DEPOSIT_FEN, 0, True)
    with pytest.raises(ValidationError):
        deposit_refund(instalment=deposit, reason="不可退")


def test_a_deposit_covering_a_whole_price_instalment_pays_it(world, on_market, stripe_server, card_token):
    deal = deal_agreed(world, on_market)
    big = deposit_instalment_open(
        payer=world.enterprise, centre=world.ningbo, amount_fen=50_000_000, reference="auction-8/e", label="#8"
    )
    card_payment_start(instalment=big, actor=world.buyer, token=card_token())
    deposit_credit_to_deal(instalment=big, deal=deal)
    upfront = deal.instalments.get(kind=InstalmentKind.UPFRONT)
    assert upfront.status == InstalmentStatus.PAID and upfront.paid_at is not None
    assert upfront.amount_fen == 50_000_000
    assert [e.amount_fen for e in licensing_received(deal.pk)] == [50_000_000]


def test_a_deposit_counts_only_toward_its_own_bidders_deal(world, on_market, deposit):
    pay_by_transfer(deposit, world)
    other = deposit_instalment_open(
        payer=world.other_enterprise, centre=world.ningbo, amount_fen=DEPOSIT_FEN, reference="a-7/other", label="#7"
    )
    deal = deal_agreed(world, on_market)
    with pytest.raises(ValidationError):
        deposit_credit_to_deal(instalment=other, deal=deal)  # not paid
    other.status = InstalmentStatus.PAID
    other.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        deposit_credit_to_deal(instalment=other, deal=deal)
    assert deal.instalments.get(kind=InstalmentKind.UPFRONT).amount_fen == 50_000_000


def test_staff_forfeit_a_walked_away_winners_deposit_with_an_audit_row(world, deposit):
    payment = pay_by_transfer(deposit, world)
    with pytest.raises(PermissionDenied):
        deposit_forfeit(instalment=deposit, actor=world.buyer, reason="我方放弃")
    with pytest.raises(PermissionDenied):
        deposit_forfeit(instalment=deposit, actor=world.hangzhou_broker, reason="竞得人放弃签约")
    forfeited = deposit_forfeit(instalment=deposit, actor=world.ningbo_broker, reason="竞得人放弃签约")
    assert forfeited.status == InstalmentStatus.FORFEITED
    event = PaymentEvent.objects.filter(payment=payment).last()
    assert event.actor == world.ningbo_broker and "竞得人放弃签约" in event.note
    with pytest.raises(ValidationError):
        deposit_refund(instalment=deposit, reason="不退")
    assert not Refund.objects.exists() and not licensing_received().exists()
    ledger = deposit_ledger(instalment_ids=[deposit.pk])
    assert (ledger["forfeited"], ledger["held"], ledger["balanced"]) == (DEPOSIT_FEN, 0, True)


def test_reconciliation_reports_a_deposit_whose_money_is_not_accounted_for(world, deposit):
    payment = pay_by_transfer(deposit, world)
    deposit_forfeit(instalment=deposit, actor=world.ningbo_broker, reason="竞得人放弃签约")
    # A broker then returns part of the forfeited money by hand: it is neither forfeited nor refunded in full.
    refund_issue(payment=payment, actor=world.ningbo_broker, amount_fen=1_000_000, reason="部分退还")
    ledger = deposit_ledger()
    assert not ledger["balanced"] and list(ledger["unbalanced"]) == [deposit.pk]
    assert ledger["received"] != ledger["refunded"] + ledger["credited"] + ledger["forfeited"] + ledger["held"]
    problems = [m for m in payments_reconcile() if m.reference == f"deposit {deposit.pk}"]
    assert len(problems) == 1 and "received 5000000" in problems[0].problem


def test_deposits_are_never_charged_automatically_or_reminded(world, deposit, monkeypatch):
    later = timezone.localdate() + timedelta(days=40)
    assert overdue_reminders_send(today=later) == 0
    assert instalments_charge_automatically(today=later) == 0
    assert not deposit.reminders.exists() and not deposit.payments.exists()


def test_the_winner_sees_the_credited_deposit_on_the_deals_payments_page(client, settings, world, on_market, deposit):
    pay_by_transfer(deposit, world)
    deal = sign_contract(world, deal_agreed(world, on_market))
    deposit_credit_to_deal(instalment=deposit, deal=deal)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_in(client, world.buyer)
    page = client.get(f"/payments/deals/{deal.pk}/").content.decode()
    assert "Auction deposit" in page and "Credited to the price" in page
    assert 'data-fen="45000000"' in page and 'Paid so far (net of refunds): <span id="paid-so-far">¥50,000<' in page
    sign_in(client, world.ningbo_broker)
    assert client.get("/payments/attention/").status_code == 200


def test_a_deposit_transfer_announced_awaits_the_holding_centres_staff(client, settings, world, deposit):
    bank_transfer_declare(
        instalment=deposit,
        actor=world.buyer,
        payer=world.enterprise.name,
        transferred_on=timezone.localdate(),
        evidence=receipt(),
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_in(client, world.ningbo_broker)
    page = client.get("/payments/attention/").content.decode()
    assert deposit.label in page and "Auction deposit" in page
    sign_in(client, world.hangzhou_broker)
    assert deposit.label not in client.get("/payments/attention/").content.decode()
