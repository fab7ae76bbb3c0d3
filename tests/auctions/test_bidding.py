"""A bidding round from the bidders' side: who may bid, what is refused (with nothing changed), how the ladder
and the end move, and what the end of the round makes of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from auctions.models import AuctionRound, Bid, DepositStatus, FailureReason, RoundStatus
from auctions.services import bid_place, deposit_register, round_cancel, round_close, winner_default
from deals.models import DealStatus, PriceNotice
from payments.models import InstalmentStatus, Refund
from payments.services import deposit_ledger
from tests.auctions.factories import bidding_ended, bidding_started, deposit_paid, round_opened
from tests.deals.factories import sign_contract
from tests.factories import OrganisationFactory, signatory_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


def ladder_of(round_):
    return list(Bid.objects.filter(round=round_).order_by("sequence").values_list("amount_fen", flat=True))


def test_the_first_bid_is_at_least_the_start_price_and_each_next_beats_it_by_the_increment(hall):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    with pytest.raises(ValidationError, match="1,050,000.00"):
        bid_place(round_=hall.round, bidder=hall.second, actor=hall.second_user, amount_fen=104_999_999)
    bid_place(round_=hall.round, bidder=hall.second, actor=hall.second_user, amount_fen=105_000_000)
    hall.round.refresh_from_db()
    assert ladder_of(hall.round) == [100_000_000, 105_000_000]
    assert hall.round.price_fen == 105_000_000
    assert hall.round.next_minimum_fen == 110_000_000


def test_a_first_bid_below_the_start_price_is_refused_and_nothing_is_stored(hall):
    with pytest.raises(ValidationError, match="至少"):
        bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=99_999_999)
    assert ladder_of(hall.round) == []


def test_a_bid_without_a_paid_deposit_is_refused(world, hall, second_ningbo_broker):
    late = OrganisationFactory(name="温州迟到科技有限公司", centre=world.hangzhou)
    late_user = signatory_member(late)
    deposit_register(round_=hall.round, organisation=late, actor=late_user)
    with pytest.raises(ValidationError, match="保证金"):
        bid_place(round_=hall.round, bidder=late, actor=late_user, amount_fen=100_000_000)
    assert ladder_of(hall.round) == []


def test_the_seller_may_neither_register_nor_bid(world, hall):
    with pytest.raises(ValidationError):
        deposit_register(round_=hall.round, organisation=world.university, actor=world.seller)
    with pytest.raises(ValidationError, match="卖方"):
        bid_place(round_=hall.round, bidder=world.university, actor=world.seller, amount_fen=100_000_000)
    assert ladder_of(hall.round) == []


def test_a_bid_after_the_end_or_before_the_start_is_refused(world, on_market, hall):
    bidding_ended(hall.round)
    with pytest.raises(ValidationError, match="已结束"):
        bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    AuctionRound.objects.filter(pk=hall.round.pk).update(
        bidding_starts_at=timezone.now() + timedelta(hours=1),
        bidding_ends_at=timezone.now() + timedelta(hours=2),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    with pytest.raises(ValidationError, match="尚未开始"):
        bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    assert ladder_of(hall.round) == []


def test_a_bidder_holding_the_top_bid_cannot_raise_against_itself(hall):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    with pytest.raises(ValidationError):
        bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=200_000_000)
    assert ladder_of(hall.round) == [100_000_000]


def test_a_member_who_is_not_a_signatory_cannot_bid(world, hall):
    from tests.factories import MembershipFactory

    member = MembershipFactory(organisation=hall.first).user
    with pytest.raises(PermissionDenied):
        bid_place(round_=hall.round, bidder=hall.first, actor=member, amount_fen=100_000_000)
    with pytest.raises(PermissionDenied):
        bid_place(round_=hall.round, bidder=hall.first, actor=hall.second_user, amount_fen=100_000_000)


def test_a_bid_in_the_last_minutes_extends_the_end_by_the_rounds_minutes(hall):
    bidding_started(hall.round, left=timedelta(minutes=2))
    end_before = hall.round.ends_at
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    hall.round.refresh_from_db()
    assert hall.round.ends_at == end_before + timedelta(minutes=5)
    assert hall.round.bidding_ends_at == end_before  # the announced end stays on record
    assert hall.round.events.filter(kind="extended").count() == 1


def test_a_bid_with_time_to_spare_does_not_extend(hall):
    end_before = hall.round.ends_at
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    hall.round.refresh_from_db()
    assert hall.round.ends_at == end_before


def test_the_database_refuses_a_second_bid_beating_the_same_bid_or_an_equal_amount(hall):
    first = bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    bid_place(round_=hall.round, bidder=hall.second, actor=hall.second_user, amount_fen=105_000_000)
    now = timezone.now()
    rival = Bid(
        round=hall.round,
        bidder=hall.first,
        placed_by=hall.first_user,
        amount_fen=106_000_000,
        minimum_fen=105_000_000,
        beats=first,
        sequence=3,
        placed_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        rival.save()
    equal = Bid(
        round=hall.round,
        bidder=hall.first,
        placed_by=hall.first_user,
        amount_fen=105_000_000,
        minimum_fen=105_000_000,
        beats=None,
        sequence=4,
        placed_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        equal.save()
    stored = Bid.objects.get(round=hall.round, sequence=1)
    stored.amount_fen = 1
    with pytest.raises(ValueError):
        stored.save()


def test_sold_a_deal_at_the_winning_price_without_a_price_notice_the_winners_deposit_credited_the_losers_refunded(
    world, hall, django_capture_on_commit_callbacks
):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    bid_place(round_=hall.round, bidder=hall.second, actor=hall.second_user, amount_fen=120_000_000)
    bidding_ended(hall.round)
    with django_capture_on_commit_callbacks(execute=True):
        closed = round_close(round_=hall.round)
    assert closed.status == RoundStatus.SOLD
    deal = closed.deal
    assert deal.buyer == hall.second and deal.seller == world.university and deal.mode == "transfer"
    assert deal.offer.price_fen == 120_000_000 and deal.status == DealStatus.AGREED
    # 宁波大学 is a public university, but the price was found in public: no agreed-price notice.
    assert not PriceNotice.objects.filter(deal=deal).exists()
    hall.first_deposit.refresh_from_db()
    hall.second_deposit.refresh_from_db()
    assert hall.first_deposit.status == DepositStatus.REFUNDED
    assert Refund.objects.filter(payment__instalment=hall.first_deposit.instalment).count() == 1
    # The winner's deposit is held until the contract is signed, then counts toward the price.
    assert hall.second_deposit.status == DepositStatus.PAID
    sign_contract(world, deal, buyer_user=hall.second_user, seller_user=world.seller)
    hall.second_deposit.refresh_from_db()
    assert hall.second_deposit.status == DepositStatus.CREDITED
    due = sum(deal.instalments.filter(kind="instalment", status="due").values_list("amount_fen", flat=True))
    assert due == 120_000_000 - 10_000_000
    ledger = deposit_ledger(instalment_ids=[hall.first_deposit.instalment_id, hall.second_deposit.instalment_id])
    assert ledger["received"] == 20_000_000
    assert ledger["refunded"] == 10_000_000 and ledger["credited"] == 10_000_000 and ledger["held"] == 0
    # Closing again changes nothing and refunds nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=hall.round)
    assert Refund.objects.filter(payment__instalment=hall.first_deposit.instalment).count() == 1


def test_below_the_reserve_the_round_fails_and_every_deposit_goes_back(
    world, on_market, second_ningbo_broker, django_capture_on_commit_callbacks
):
    round_ = round_opened(on_market, world.seller, reserve_fen=150_000_000)
    other = OrganisationFactory(centre=world.hangzhou)
    other_user = signatory_member(other)
    deposits = [
        deposit_register(round_=round_, organisation=world.enterprise, actor=world.buyer),
        deposit_register(round_=round_, organisation=other, actor=other_user),
    ]
    for deposit in deposits:
        deposit_paid(deposit, recorded_by=world.ningbo_broker, confirmed_by=second_ningbo_broker)
    bidding_started(round_)
    bid_place(round_=round_, bidder=world.enterprise, actor=world.buyer, amount_fen=100_000_000)
    bid_place(round_=round_, bidder=other, actor=other_user, amount_fen=140_000_000)
    bidding_ended(round_)
    with django_capture_on_commit_callbacks(execute=True):
        closed = round_close(round_=round_)
    assert closed.status == RoundStatus.FAILED and closed.failure_reason == FailureReason.BELOW_RESERVE
    assert closed.deal is None
    for deposit in deposits:
        deposit.refresh_from_db()
        assert deposit.status == DepositStatus.REFUNDED
        assert deposit.instalment.status == InstalmentStatus.REFUNDED


def test_with_no_bid_the_round_fails(world, on_market, django_capture_on_commit_callbacks):
    round_ = bidding_ended(round_opened(on_market, world.seller))
    with django_capture_on_commit_callbacks(execute=True):
        assert round_close(round_=round_).failure_reason == FailureReason.NO_BIDS


@pytest.mark.parametrize(("rule", "status"), [("fail", RoundStatus.FAILED), ("proceed", RoundStatus.SOLD)])
def test_one_qualified_bidder_follows_the_rounds_rule(
    world, on_market, second_ningbo_broker, django_capture_on_commit_callbacks, rule, status
):
    round_ = round_opened(on_market, world.seller, one_bidder_rule=rule)
    deposit = deposit_register(round_=round_, organisation=world.enterprise, actor=world.buyer)
    deposit_paid(deposit, recorded_by=world.ningbo_broker, confirmed_by=second_ningbo_broker)
    bidding_started(round_)
    bid_place(round_=round_, bidder=world.enterprise, actor=world.buyer, amount_fen=100_000_000)
    bidding_ended(round_)
    with django_capture_on_commit_callbacks(execute=True):
        closed = round_close(round_=round_)
    assert closed.status == status
    if status == RoundStatus.SOLD:
        assert closed.deal.offer.price_fen == round_.start_price_fen
    else:
        assert closed.failure_reason == FailureReason.ONE_BIDDER


def test_the_announcement_period_is_the_centres_minimum(world, on_market):
    with pytest.raises(ValidationError) as refused:
        round_opened(on_market, world.seller, starts_in=timedelta(days=2))
    assert "bidding_starts_at" in refused.value.error_dict
    assert not AuctionRound.objects.exists()


def test_only_the_seller_or_its_centre_may_open_a_round(world, on_market):
    with pytest.raises(PermissionDenied):
        round_opened(on_market, world.buyer)
    assert round_opened(on_market, world.ningbo_broker).status == RoundStatus.OPEN


def test_the_seller_may_withdraw_before_bidding_and_only_staff_after(world, hall, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        round_cancel(round_=hall.round, actor=world.seller, reason="改变主意")
    with django_capture_on_commit_callbacks(execute=True):
        round_cancel(round_=hall.round, actor=world.ningbo_broker, reason="权属争议，法院裁定中止")
    hall.first_deposit.refresh_from_db()
    assert hall.first_deposit.status == DepositStatus.REFUNDED
    with pytest.raises(ValidationError, match="已"):
        bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)


def test_a_winner_who_walks_away_forfeits_the_deposit_on_staffs_decision(
    world, hall, django_capture_on_commit_callbacks
):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    bid_place(round_=hall.round, bidder=hall.second, actor=hall.second_user, amount_fen=105_000_000)
    bidding_ended(hall.round)
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=hall.round)
    with pytest.raises(PermissionDenied):
        winner_default(round_=hall.round, actor=world.seller, reason="买方未签约")
    winner_default(round_=hall.round, actor=world.ningbo_broker, reason="竞得人逾期未签订合同")
    hall.round.refresh_from_db()
    hall.second_deposit.refresh_from_db()
    assert hall.round.deal.status == DealStatus.CANCELLED
    assert hall.second_deposit.status == DepositStatus.FORFEITED
    assert hall.round.events.filter(kind="defaulted").exists()


@pytest.mark.parametrize("amount", [100_000_000.5, "100000000", True, None])
def test_a_bid_that_is_not_a_whole_number_of_fen_is_refused_not_rounded(hall, amount):
    with pytest.raises(ValidationError):
        bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=amount)
    assert ladder_of(hall.round) == []
