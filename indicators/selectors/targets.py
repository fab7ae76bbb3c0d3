"""Targets and progress: the target of a year (province-wide or for one centre), how far the year has come, the
targets of other years as history, and who may set them.

Progress is measured against the target set for the same year and the same scope only. A year without a target
has none: the plan's 2020 figures (220 亿元, 5 亿元) stay the 2020 targets and are shown as history, never as the
measure of a later year.
"""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from indicators.models import PLAN_TARGETS, Indicator, IndicatorTarget
from indicators.selectors.figures import FigureRow, Filters, figures, headline
from marketplace.centres.selectors import centres_with_depth, root_centre, staff_scope


@dataclass(frozen=True)
class Progress:
    indicator: str
    label: str
    year: int
    actual_fen: int | None  # None: hidden from the public by the small-cell rule
    target_fen: int | None  # None: no target set for this year (and scope)
    target_year: int  # always the year itself: a target measures its own year only
    centre_id: int | None = None  # the target's scope; None is province-wide
    target_note: str = ""

    @property
    def has_target(self) -> bool:
        return self.target_fen is not None

    @property
    def percent(self) -> Decimal | None:
        if self.actual_fen is None or self.target_fen is None:
            return None
        return (Decimal(self.actual_fen) * 100 / Decimal(self.target_fen)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def as_dict(self) -> dict:
        percent = self.percent
        return {**asdict(self), "percent": None if percent is None else float(percent)}


@dataclass(frozen=True)
class TargetRecord:
    """A target as people read it: for the history table and the staff page."""

    indicator: str
    label: str
    year: int
    centre_id: int | None
    centre_name: str
    amount_fen: int
    note: str
    id: int | None = None  # None: the plan's default, not a row


def _targets(centre_id: int | None):
    return (
        IndicatorTarget.objects.filter(centre_id=centre_id)
        if centre_id
        else IndicatorTarget.objects.filter(centre__isnull=True)
    )


def target_of_year(indicator: str, year: int, centre_id: int | None = None) -> tuple[int, str] | None:
    """(amount in fen, source note) of the target set for exactly this year and scope; province-wide, the plan's
    default stands for its own year when no row was set (a fresh database before the seed migration)."""
    found = _targets(centre_id).filter(indicator=indicator, year=year).values_list("amount_fen", "note").first()
    if found is not None:
        return found
    if centre_id is None and (indicator, year) in PLAN_TARGETS:
        return PLAN_TARGETS[(indicator, year)], ""
    return None


def target_for(indicator: str, year: int, centre_id: int | None = None) -> tuple[int, int] | None:
    """(amount in fen, year it was set for) of this year's target, or None: the year itself or nothing."""
    found = target_of_year(indicator, year, centre_id)
    return None if found is None else (found[0], year)


def year_to_date(year: int, quarter: int, centre_id: int | None = None) -> FigureRow:
    """The year's figures from January to the end of the quarter (for a centre: it and the centres below)."""
    total = FigureRow(key="", label=_("Year to date"))
    for row in figures(Filters(year=year, centre_id=centre_id), "quarter"):
        if row.key <= f"{year}-Q{quarter}":
            total.add(Indicator.TURNOVER, row.turnover_fen, row.technology_amount_fen, row.deals)
            total.add(Indicator.LICENSING_CONTRACTED, row.licensing_contracted_fen, 0, 0)
            total.add(Indicator.LICENSING_RECEIVED, row.licensing_received_fen, 0, 0)
    return total


def progress(year: int, *, up_to_quarter: int | None = None, centre_id: int | None = None) -> list[Progress]:
    """Every indicator's figure for the year (or the year to the end of a quarter) against the target set for
    that year: province-wide, or for a centre (its figures include the centres below it). An indicator without
    a target for the year comes with `target_fen` None, so that the page can say so."""
    if up_to_quarter:
        totals = year_to_date(year, up_to_quarter, centre_id)
    else:
        totals = headline(Filters(year=year, centre_id=centre_id))
    result = []
    for indicator in Indicator:
        target = target_of_year(indicator, year, centre_id)
        result.append(
            Progress(
                indicator=indicator.value,
                label=str(indicator.label),
                year=year,
                actual_fen=totals.amount(indicator),
                target_fen=None if target is None else target[0],
                target_year=year,
                centre_id=centre_id,
                target_note="" if target is None else target[1],
            )
        )
    return result


def _records(rows) -> list[TargetRecord]:
    return [
        TargetRecord(
            indicator=target.indicator,
            label=str(Indicator(target.indicator).label),
            year=target.year,
            centre_id=target.centre_id,
            centre_name=target.centre.name if target.centre_id else _("Province-wide"),
            amount_fen=target.amount_fen,
            note=target.note,
            id=target.id,
        )
        for target in rows
    ]


def target_history(*, except_year: int | None, centre_id: int | None = None) -> list[TargetRecord]:
    """The targets of the other years for this scope, latest first (the plan's 2020 targets among them)."""
    rows = _targets(centre_id).exclude(year=except_year).select_related("centre").order_by("-year", "indicator")
    records = _records(rows)
    if centre_id is None:
        seeded = {(record.indicator, record.year) for record in records}
        for (indicator, year), amount in sorted(PLAN_TARGETS.items(), key=lambda item: -item[0][1]):
            if (indicator, year) not in seeded and year != except_year:
                records.append(
                    TargetRecord(indicator, str(Indicator(indicator).label), year, None, _("Province-wide"), amount, "")
                )
    return records


# --- Who may set them ----------------------------------------------------------------------------------------


def can_set_target(user, centre_id: int | None) -> bool:
    """Province-wide targets: the platform (superusers, administrators of the provincial centre). A centre's
    targets: the administrators of that centre or of a centre above it."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    scope = staff_scope(user)
    if centre_id is None:
        root = root_centre()
        return root is not None and root.id in scope.admin_centre_ids
    return centre_id in scope.admin_centre_ids


def targets_settable_by(user) -> list[TargetRecord]:
    """Every target the person may change, latest year first."""
    if user is None or not user.is_authenticated:
        return []
    rows = IndicatorTarget.objects.select_related("centre").order_by("-year", "centre__name", "indicator")
    if not user.is_superuser:
        scope = staff_scope(user)
        allowed = [row for row in rows if can_set_target(user, row.centre_id)] if scope.admin_centre_ids else []
        return _records(allowed)
    return _records(rows)


def target_scopes_for(user) -> list[tuple[int | None, str]]:
    """The scopes whose targets the person may set: (None, "Province-wide") first if they may, then centres in
    tree order (indented below their parents)."""
    scopes: list[tuple[int | None, str]] = []
    if can_set_target(user, None):
        scopes.append((None, _("Province-wide")))
    scopes += [
        (centre.id, "\u3000" * depth + centre.name)
        for centre, depth in centres_with_depth()
        if can_set_target(user, centre.id)
    ]
    return scopes
