"""Reads of the indicators (a package: figures, targets, the drill-down, the rollup recomputed, verification)."""

from indicators.selectors.disclosure import (
    COMPLEMENT,
    FEW_DEALS,
    disclosed_progress,
    disclosed_row,
    disclosed_rows,
    sees_every_figure,
)
from indicators.selectors.drilldown import can_drill_down, entries_behind
from indicators.selectors.figures import (
    BREAKDOWNS,
    GROUPINGS,
    PERIODS,
    FigureRow,
    Filters,
    figures,
    grouping_title,
    headline,
    ledger_queryset,
    trend,
    years_with_figures,
)
from indicators.selectors.rollup import rollup_from_ledger
from indicators.selectors.solved import SolvedFigures, SolvedRow, demands_solved
from indicators.selectors.targets import (
    Progress,
    TargetRecord,
    can_set_target,
    progress,
    target_for,
    target_history,
    target_of_year,
    target_scopes_for,
    targets_settable_by,
    year_to_date,
)
from indicators.selectors.verification import Difference, Verification, verify

__all__ = [
    "BREAKDOWNS",
    "COMPLEMENT",
    "FEW_DEALS",
    "GROUPINGS",
    "PERIODS",
    "Difference",
    "FigureRow",
    "Filters",
    "Progress",
    "SolvedFigures",
    "SolvedRow",
    "TargetRecord",
    "Verification",
    "can_drill_down",
    "can_set_target",
    "demands_solved",
    "disclosed_progress",
    "disclosed_row",
    "disclosed_rows",
    "entries_behind",
    "figures",
    "grouping_title",
    "headline",
    "ledger_queryset",
    "progress",
    "rollup_from_ledger",
    "sees_every_figure",
    "target_for",
    "target_history",
    "target_of_year",
    "target_scopes_for",
    "targets_settable_by",
    "trend",
    "verify",
    "year_to_date",
    "years_with_figures",
]
