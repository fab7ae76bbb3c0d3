"""Recompute the ledger from the deals, and the rollup from the ledger, and list every difference.

Completed deals say what turnover and licensing revenue (contracted) must have been booked: the registered
contract total of every deal that ever completed, and its reversal if it was cancelled since. Payments are
not recomputed here (their amounts live in the payments app); their entries are checked for kind and sign.
"""

from dataclasses import dataclass, field

from django.db.models import Sum

from deals.models import Deal, DealStatus
from indicators.models import (
    ROLLUP_KEY,
    ROLLUP_SUMMED,
    Indicator,
    LedgerEntry,
    LedgerRollup,
    completion_indicators,
    completion_key,
    reversal_key,
)
from indicators.selectors.rollup import rollup_from_ledger
from listings.models import Mode

# source key -> (indicator, amount_fen, technology_amount_fen, deal_id)
Expected = dict[str, tuple[str, int, int, int]]


@dataclass(frozen=True)
class Difference:
    source_key: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source_key}: {self.problem}"


@dataclass
class Verification:
    ledger: list[Difference] = field(default_factory=list)
    rollup: list[Difference] = field(default_factory=list)
    # Per indicator, in fen: what the deals say (turnover, licensing contracted) and what the ledger holds.
    expected_totals: dict[str, int] = field(default_factory=dict)
    ledger_totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.ledger and not self.rollup


def expected_from_deals() -> tuple[Expected, list[Difference]]:
    expected: Expected = {}
    problems: list[Difference] = []
    completed = Deal.objects.filter(completed_at__isnull=False).values_list(
        "id", "mode", "status", "registration__contract_total_fen", "registration__technology_amount_fen"
    )
    for deal_id, mode, status, total, technology in completed.iterator(chunk_size=10_000):
        if total is None:
            problems.append(Difference(f"deal:{deal_id}", "completed without a contract registration"))
            continue
        for indicator in map(str, completion_indicators(mode)):
            key = completion_key(deal_id, indicator)
            booked_technology = technology if indicator == Indicator.TURNOVER else 0
            expected[key] = (indicator, total, booked_technology, deal_id)
            if status == DealStatus.CANCELLED:
                expected[reversal_key(key)] = (indicator, -total, -booked_technology, deal_id)
    return expected, problems


def _check_payment_entry(key: str, indicator: str, amount: int, is_reversal: bool, licence: bool) -> str | None:
    refund = key.startswith("refund:")
    if indicator != Indicator.LICENSING_RECEIVED:
        return f"a payment booked as {indicator}"
    if not licence:
        return "licensing revenue received on a deal that is not a licence"
    if refund != is_reversal or (amount < 0 if not refund else amount > 0):
        return f"wrong sign: {amount}"
    return None


def ledger_differences() -> tuple[list[Difference], dict[str, int]]:
    """Every entry the deals do not account for, every one they expect and miss, and the totals they expect."""
    expected, differences = expected_from_deals()
    expected_totals = dict.fromkeys((Indicator.TURNOVER, Indicator.LICENSING_CONTRACTED), 0)
    for indicator, amount, _technology, _deal_id in expected.values():
        expected_totals[indicator] += amount
    licence_deals = set(Deal.objects.filter(mode=Mode.LICENCE).values_list("id", flat=True))
    entries = LedgerEntry.objects.values_list(
        "source_key", "indicator", "amount_fen", "technology_amount_fen", "deal_id", "is_reversal"
    ).order_by("id")
    for key, indicator, amount, technology, deal_id, is_reversal in entries.iterator(chunk_size=10_000):
        if key.startswith("deal:"):
            want = expected.pop(key, None)
            got = (indicator, amount, technology, deal_id)
            if want is None:
                differences.append(Difference(key, "booked, but the deals say nothing of it"))
            elif got != want:
                differences.append(Difference(key, f"booked {got}, the deal says {want}"))
        elif key.startswith(("payment:", "refund:")):
            problem = _check_payment_entry(key, indicator, amount, is_reversal, deal_id in licence_deals)
            if problem:
                differences.append(Difference(key, problem))
        else:
            differences.append(Difference(key, "an entry from no known source"))
    differences.extend(Difference(key, f"not booked: {want}") for key, want in expected.items())
    return differences, expected_totals


def rollup_differences() -> list[Difference]:
    expected = rollup_from_ledger()
    differences = []
    rows = LedgerRollup.objects.values_list(*ROLLUP_KEY, *ROLLUP_SUMMED)
    for scope, dimension, value, year, month, indicator, *sums in rows.iterator(chunk_size=10_000):
        key = (scope, dimension, value, year, month, indicator)
        want = expected.pop(key, [0, 0, 0, 0])
        if list(sums) != want:
            differences.append(Difference(_rollup_name(key), f"holds {sums}, the ledger says {want}"))
    differences.extend(Difference(_rollup_name(key), f"missing: {want}") for key, want in expected.items())
    return differences


def _rollup_name(key: tuple) -> str:
    scope, dimension, value, year, month, indicator = key
    return f"rollup:{scope}/{dimension}={value}/{year}-{month:02d}/{indicator}"


def verify() -> Verification:
    ledger, expected_totals = ledger_differences()
    totals = dict(LedgerEntry.objects.values_list("indicator").annotate(total=Sum("amount_fen")).order_by())
    return Verification(
        ledger=ledger,
        rollup=rollup_differences(),
        expected_totals=expected_totals,
        ledger_totals={indicator.value: totals.get(indicator.value, 0) for indicator in Indicator},
    )
