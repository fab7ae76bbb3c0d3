"""For any sequence of completions, cancellations, payments, refunds and replayed events, the ledger's totals are
what the deals (and the money actually received) say, and the rollup is the ledger's.

Each example builds its deals through the real deals services inside a savepoint that is rolled back at the end,
so examples start from the same world (created once by the fixtures; hence the suppressed health check).
"""

import itertools
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deals.models import Deal, DealStatus
from deals.signals import deal_completed, deal_reversed
from indicators.models import LedgerEntry, completion_indicators
from indicators.selectors import Filters, figures, headline, verify
from tests.deals.factories import complete_deal
from tests.indicators.conftest import agreed, cancel, pay, published_listing, refund

pytestmark = pytest.mark.django_db
DEALS = 2
KINDS = ["upfront", "royalty", "service_fee"]

events = st.lists(
    st.one_of(
        st.tuples(st.just("complete"), st.integers(0, DEALS - 1)),
        st.tuples(st.just("cancel"), st.integers(0, DEALS - 1)),
        st.tuples(st.just("pay"), st.integers(0, DEALS - 1), st.integers(1, 5_000_000), st.sampled_from(KINDS)),
        st.tuples(st.just("refund"), st.integers(0, 20), st.integers(1, 5_000_000)),
        st.tuples(st.just("replay"), st.integers(0, 50)),
    ),
    # Long enough that most examples complete, cancel, pay and refund; short enough to stay quick.
    min_size=6,
    max_size=14,
)


@dataclass
class Money:
    """What was really paid and refunded, as the payments app would know it."""

    payments: dict[int, tuple[Deal, int, str]] = field(default_factory=dict)
    refunded: dict[int, int] = field(default_factory=dict)  # payment id -> refunded so far
    received: int = 0  # licensing revenue received, net of refunds

    @staticmethod
    def counts(deal: Deal, kind: str) -> bool:
        return deal.mode == "licence" and kind != "service_fee"


@pytest.fixture
def listings(world):
    return [published_listing(world) for _ in range(DEALS)]


def run(world, listings, modes, totals, sequence) -> None:
    deals = [agreed(world, listing, mode) for listing, mode in zip(listings, modes, strict=True)]
    money = Money()
    sent: list[tuple] = []  # every signal sent so far, to be replayed
    ids = itertools.count(1)
    for event in sequence:
        name = event[0]
        if name == "complete":
            deal = deals[event[1]]
            deal.refresh_from_db()
            if deal.status == DealStatus.AGREED:
                total = totals[event[1]]
                complete_deal(world, deal, total=total, technology=total * 9 // 10)
                sent.append(("completed", deal))
        elif name == "cancel":
            deal = deals[event[1]]
            deal.refresh_from_db()
            if deal.status != DealStatus.CANCELLED:
                was_completed = deal.status == DealStatus.COMPLETED
                cancel(world, deal)
                if was_completed:
                    sent.append(("reversed", deal))
        elif name == "pay":
            _, index, amount, kind = event
            payment_id = next(ids)
            pay(deals[index], payment_id, amount, kind)
            money.payments[payment_id] = (deals[index], amount, kind)
            money.received += amount if money.counts(deals[index], kind) else 0
            sent.append(("pay", deals[index], payment_id, amount, kind))
        elif name == "refund" and money.payments:
            _, which, amount = event
            payment_id = list(money.payments)[which % len(money.payments)]
            deal, paid, kind = money.payments[payment_id]
            amount = min(amount, paid - money.refunded.get(payment_id, 0))
            if amount > 0:
                refund_id = next(ids)
                refund(deal, refund_id, amount, kind)
                money.refunded[payment_id] = money.refunded.get(payment_id, 0) + amount
                money.received -= amount if money.counts(deal, kind) else 0
                sent.append(("refund", deal, refund_id, amount, kind))
        elif name == "replay" and sent:
            replay(sent[event[1] % len(sent)])
        check(deals, money)


def replay(signal: tuple) -> None:
    kind, deal, *rest = signal
    if kind == "completed":
        deal_completed.send(sender=Deal, deal=deal)
    elif kind == "reversed":
        deal_reversed.send(sender=Deal, deal=deal, reason="replayed")
    elif kind == "pay":
        pay(deal, *rest)
    else:
        refund(deal, *rest)


def check(deals: list[Deal], money: Money) -> None:
    result = verify()
    assert result.ok, [str(difference) for difference in result.ledger + result.rollup][:10]
    completed = Deal.objects.filter(pk__in=[deal.pk for deal in deals], status=DealStatus.COMPLETED)
    said = completed.aggregate(total=Sum("registration__contract_total_fen"))["total"] or 0
    said_licensing = completed.filter(mode="licence").aggregate(total=Sum("registration__contract_total_fen"))["total"]
    total = headline(Filters())
    assert total.turnover_fen == said
    assert total.licensing_contracted_fen == (said_licensing or 0)
    assert total.licensing_received_fen == money.received
    assert total.deals == completed.count()
    assert sum(row.turnover_fen for row in figures(Filters(), "seller_kind")) == said
    # Exactly once: one entry per indicator a completion books, and one reversal each if it was cancelled since.
    ever_completed = Deal.objects.filter(pk__in=[deal.pk for deal in deals], completed_at__isnull=False)
    assert LedgerEntry.objects.filter(source_key__startswith="deal:").count() == sum(
        len(completion_indicators(deal.mode)) * (2 if deal.status == DealStatus.CANCELLED else 1)
        for deal in ever_completed
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    modes=st.lists(st.sampled_from(["licence", "transfer"]), min_size=DEALS, max_size=DEALS),
    totals=st.lists(st.integers(0, 10**10), min_size=DEALS, max_size=DEALS),
    sequence=events,
)
def test_the_ledger_always_equals_what_the_deals_say(world, listings, modes, totals, sequence):
    with transaction.atomic():
        run(world, listings, modes, totals, sequence)
        transaction.set_rollback(True)
