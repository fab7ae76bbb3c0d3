"""For any sequence of registrations, deposits, bids (good and bad), passing time and the end of a round: the
ladder strictly increases by at least the increment, the winner holds the top bid, every deposit but the
winner's comes back exactly once, and the deposits' ledger balances.

Each example runs through the real services inside a transaction rolled back at the end, so examples start
from the same world (built once by the fixtures; hence the suppressed health check). The clock is moved by
shifting the round's times into the past, as the other auction tests do.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from auctions.models import AuctionRound, Bid, Deposit, DepositStatus, RoundStatus
from auctions.services import bid_place, deposit_refund_due, deposit_register, deposits_to_return, round_close
from payments.models import Refund
from payments.services import deposit_ledger
from tests.auctions.factories import bidding_ended, bidding_started, deposit_paid, round_opened
from tests.factories import OrganisationFactory, signatory_member

pytestmark = pytest.mark.django_db
BIDDERS = 3

actions = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, BIDDERS - 1)),
        st.tuples(st.just("pay"), st.integers(0, BIDDERS - 1)),
        # k = -1: one fen below the minimum (refused); 0..3: the minimum plus k increments and a few fen.
        st.tuples(st.just("bid"), st.integers(0, BIDDERS - 1), st.integers(-1, 3), st.integers(0, 99)),
        st.tuples(st.just("bid"), st.integers(0, BIDDERS - 1), st.integers(0, 1), st.just(0)),
        st.tuples(
            st.just("seller_bids"),
        ),
        st.tuples(st.just("tick"), st.integers(1, 25)),
    ),
    min_size=4,
    max_size=24,
)


@pytest.fixture
def bidders(world):
    people = [(world.enterprise, world.buyer)]
    for index in range(BIDDERS - 1):
        organisation = OrganisationFactory(name=f"竞买测试公司{index}", centre=world.hangzhou)
        people.append((organisation, signatory_member(organisation)))
    return people


def shift(round_: AuctionRound, minutes: int) -> None:
    """Time passes: the round's instants move into the past."""
    delta = timedelta(minutes=minutes)
    AuctionRound.objects.filter(pk=round_.pk).update(
        bidding_starts_at=round_.bidding_starts_at - delta,
        bidding_ends_at=round_.bidding_ends_at - delta,
        ends_at=round_.ends_at - delta,
    )
    round_.refresh_from_db()


def run(world, listing, bidders, second_broker, rule, reserve, qualified, sequence) -> None:
    round_ = round_opened(listing, world.seller, one_bidder_rule=rule, reserve_fen=reserve)
    deposits: dict[int, Deposit] = {}
    for index, (organisation, user) in enumerate(bidders):
        if qualified[index]:
            deposits[index] = deposit_register(round_=round_, organisation=organisation, actor=user)
            deposit_paid(deposits[index], recorded_by=world.ningbo_broker, confirmed_by=second_broker)
    round_ = bidding_started(round_, left=timedelta(minutes=60))
    accepted: list[int] = []
    for action in sequence:
        kind = action[0]
        if kind == "register":
            organisation, user = bidders[action[1]]
            try:
                deposits[action[1]] = deposit_register(round_=round_, organisation=organisation, actor=user)
            except ValidationError:
                assert _ended(round_)  # refused only once bidding is over
        elif kind == "pay":
            deposit = deposits.get(action[1])
            if deposit is not None:
                deposit.refresh_from_db()
                if deposit.status == DepositStatus.AWAITING:
                    deposit_paid(deposit, recorded_by=world.ningbo_broker, confirmed_by=second_broker)
        elif kind in ("bid", "seller_bids"):
            round_.refresh_from_db()
            before = Bid.objects.filter(round=round_).count()
            if kind == "bid":
                organisation, user = bidders[action[1]]
                steps, fen = action[2], action[3]
                amount = (
                    round_.next_minimum_fen - 1
                    if steps < 0
                    else round_.next_minimum_fen + steps * round_.increment_fen + fen
                )
            else:
                organisation, user, amount = world.university, world.seller, round_.next_minimum_fen
            valid = (
                kind == "bid"
                and steps >= 0
                and organisation.pk in _paid(round_)
                and _top_bidder(round_) != organisation.pk
                and not _ended(round_)
            )
            try:
                bid = bid_place(round_=round_, bidder=organisation, actor=user, amount_fen=amount)
            except (ValidationError, PermissionDenied):
                assert not valid
                assert Bid.objects.filter(round=round_).count() == before  # refused: nothing changed
            else:
                assert valid
                accepted.append(bid.pk)
                extended = round_.ends_at - bid.placed_at <= timedelta(minutes=round_.extension_minutes)
                end_before = round_.ends_at
                round_.refresh_from_db()
                assert round_.ends_at == (
                    end_before + timedelta(minutes=round_.extension_minutes) if extended else end_before
                )
        elif kind == "tick":
            shift(round_, action[1])
        round_.refresh_from_db()

    # The end: the outcome, then the refunds the task runner makes (twice: a retried task refunds nothing more).
    bidding_ended(round_)
    round_ = round_close(round_=round_)
    for _ in range(2):
        for deposit_id in deposits_to_return():
            deposit_refund_due(deposit_id=deposit_id)
    round_.refresh_from_db()
    event(f"{round_.status} {round_.failure_reason}".strip())

    # The ladder: every accepted bid stored, strictly increasing by at least the increment, each beating the last.
    ladder = list(Bid.objects.filter(round=round_).order_by("sequence"))
    assert [bid.pk for bid in ladder] == accepted
    assert [bid.sequence for bid in ladder] == list(range(1, len(ladder) + 1))
    for previous, bid in zip(ladder, ladder[1:], strict=False):
        assert bid.beats_id == previous.pk
        assert bid.amount_fen >= previous.amount_fen + round_.increment_fen
    if ladder:
        assert ladder[0].amount_fen >= round_.start_price_fen and ladder[0].beats_id is None
    # The winner holds the top bid, at the price the round's rules say.
    paid = list(Deposit.objects.filter(round=round_))
    if round_.status == RoundStatus.SOLD:
        top = ladder[-1]
        assert round_.deal.buyer_id == top.bidder_id
        qualified = sum(1 for d in paid if d.paid_at is not None)
        expected = round_.start_price_fen if qualified == 1 else top.amount_fen
        assert round_.deal.offer.price_fen == expected == round_.price_fen
        assert reserve is None or top.amount_fen >= reserve
    else:
        assert round_.status == RoundStatus.FAILED and round_.deal_id is None
    # Deposits: the winner's held, every other paid one refunded exactly once and in full, unpaid ones closed.
    winner_id = round_.deal.buyer_id if round_.deal_id else None
    for deposit in paid:
        refunds = Refund.objects.filter(payment__instalment=deposit.instalment)
        if deposit.organisation_id == winner_id:
            assert deposit.status == DepositStatus.PAID and not refunds.exists()
        elif deposit.paid_at is not None:
            assert deposit.status == DepositStatus.REFUNDED
            assert refunds.count() == 1 and refunds.aggregate(total=Sum("amount_fen"))["total"] == round_.deposit_fen
        else:
            assert deposit.status == DepositStatus.CANCELLED and not refunds.exists()
    ledger = deposit_ledger(instalment_ids=[d.instalment_id for d in paid])
    assert ledger["received"] == ledger["refunded"] + ledger["credited"] + ledger["forfeited"] + ledger["held"]
    assert ledger["held"] == (round_.deposit_fen if winner_id else 0)
    assert ledger["received"] == round_.deposit_fen * sum(1 for d in paid if d.paid_at is not None)


def _paid(round_) -> set[int]:
    return set(
        Deposit.objects.filter(round=round_, status=DepositStatus.PAID).values_list("organisation_id", flat=True)
    )


def _top_bidder(round_) -> int | None:
    round_.refresh_from_db()
    return round_.top_bid.bidder_id if round_.top_bid_id else None


def _ended(round_) -> bool:
    from auctions.services import phase

    round_.refresh_from_db()
    return phase(round_) != "bidding"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rule=st.sampled_from(["fail", "proceed"]),
    reserve=st.one_of(st.none(), st.sampled_from([100_000_000, 115_000_000])),
    qualified=st.lists(st.booleans(), min_size=BIDDERS, max_size=BIDDERS),
    sequence=actions,
)
def test_any_round_keeps_its_ladder_winner_and_deposits_straight(
    world, on_market, bidders, second_ningbo_broker, rule, reserve, qualified, sequence
):
    with transaction.atomic():
        run(world, on_market, bidders, second_ningbo_broker, rule, reserve, qualified, sequence)
        transaction.set_rollback(True)
