"""The small-cell rule: what the public may read of the figures.

A figure built from fewer than INDICATORS_MIN_DEALS deals would tell a stranger what one licensee paid (a city
with a single deal in a quarter *is* that deal's price). Wherever the public reads figures — the dashboard, the
quarterly report, the exports and the open API — such a row shows "—" (null in JSON) instead of its amounts and
count; the staff of the centres see every figure.

One hidden row among shown ones could still be worked out as the total minus the others, so when a list would
hide exactly one row, the next smallest row with figures is hidden too (secondary suppression). A row whose
amounts are all zero tells nothing and is always shown.
"""

from dataclasses import replace

from django.conf import settings

from indicators.selectors.figures import AMOUNT_FIELDS, FigureRow
from indicators.selectors.targets import Progress
from marketplace.centres.selectors import staff_scope


def sees_every_figure(user) -> bool:
    return staff_scope(user).is_staff


def _too_few_deals(row: FigureRow) -> bool:
    has_figures = any(getattr(row, field) for field in AMOUNT_FIELDS)
    return has_figures and row.deals < settings.INDICATORS_MIN_DEALS


FEW_DEALS = "few_deals"
COMPLEMENT = "complement"


def _hidden(row: FigureRow, reason: str = FEW_DEALS) -> FigureRow:
    return replace(row, deals=None, suppressed=True, suppressed_reason=reason, **dict.fromkeys(AMOUNT_FIELDS))


def disclosed_row(row: FigureRow) -> FigureRow:
    return _hidden(row) if _too_few_deals(row) else row


def disclosed_rows(rows: list[FigureRow]) -> list[FigureRow]:
    hide = {index for index, row in enumerate(rows) if _too_few_deals(row)}
    complement = None
    if len(hide) == 1:
        others = [
            (row.deals, row.turnover_fen, index)
            for index, row in enumerate(rows)
            if index not in hide and any(getattr(row, field) for field in AMOUNT_FIELDS)
        ]
        if others:
            complement = min(others)[2]
            hide.add(complement)
    return [
        _hidden(row, COMPLEMENT if index == complement else FEW_DEALS) if index in hide else row
        for index, row in enumerate(rows)
    ]


def disclosed_progress(items: list[Progress], deals_in_year: int) -> list[Progress]:
    """Progress to the targets: hidden while the year (in the target's scope) has fewer deals than the rule's
    minimum."""
    if deals_in_year >= settings.INDICATORS_MIN_DEALS:
        return items
    return [replace(item, actual_fen=None) if item.actual_fen else item for item in items]
