"""The rollup as the ledger says it should be: what `rollup_rebuild` writes and `verify` compares."""

from django.db.models import Count, Sum

from indicators.models import LedgerEntry, deals_delta, rollup_keys


def rollup_from_ledger() -> dict[tuple[int, str, str, int, int, str], list[int]]:
    """What the rollup should hold, computed from the ledger: (scope, dimension, value, year, month, indicator)
    -> [amount_fen, technology_amount_fen, deals, entries]. The database first groups the entries by every
    dimension at once (one row per distinct combination), then each group is spread over its rollup keys."""
    groups = (
        LedgerEntry.objects.values(
            "year", "month", "indicator", "is_reversal", "city", "centre_path", "seller_kind", "ipc_section", "mode"
        )
        .annotate(amount=Sum("amount_fen"), technology=Sum("technology_amount_fen"), count=Count("id"))
        .order_by()
    )
    result: dict[tuple[int, str, str, int, int, str], list[int]] = {}
    for group in groups.iterator(chunk_size=10_000):
        deals = deals_delta(group["indicator"], group["is_reversal"]) * group["count"]
        keys = rollup_keys(
            centre_path=group["centre_path"],
            city=group["city"],
            seller_kind=group["seller_kind"],
            ipc_section=group["ipc_section"],
            mode=group["mode"],
        )
        for scope, dimension, value in keys:
            sums = result.setdefault(
                (scope, dimension, value, group["year"], group["month"], group["indicator"]), [0] * 4
            )
            sums[0] += group["amount"]
            sums[1] += group["technology"]
            sums[2] += deals
            sums[3] += group["count"]
    return result
