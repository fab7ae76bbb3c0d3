"""Targets and progress: the plan's defaults, configured targets, and how far the year has come."""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from indicators.models import PLAN_TARGETS, Indicator, IndicatorTarget
from indicators.selectors.figures import FigureRow, Filters, figures, headline


@dataclass(frozen=True)
class Progress:
    indicator: str
    label: str
    year: int
    actual_fen: int | None  # None: hidden from the public by the small-cell rule
    target_fen: int
    target_year: int  # the year the target was set for: it applies until a later one is set

    @property
    def percent(self) -> Decimal | None:
        if self.actual_fen is None:
            return None
        return (Decimal(self.actual_fen) * 100 / Decimal(self.target_fen)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def as_dict(self) -> dict:
        percent = self.percent
        return {**asdict(self), "percent": None if percent is None else float(percent)}


def target_for(indicator: str, year: int) -> tuple[int, int] | None:
    """(amount in fen, year it was set for): the latest target set for this year or before, a configured one
    winning over the plan's default for the same year."""
    candidates = {
        target_year: amount
        for (target_indicator, target_year), amount in PLAN_TARGETS.items()
        if target_indicator == indicator and target_year <= year
    }
    candidates.update(
        IndicatorTarget.objects.filter(indicator=indicator, year__lte=year).values_list("year", "amount_fen")
    )
    if not candidates:
        return None
    target_year = max(candidates)
    return candidates[target_year], target_year


def year_to_date(year: int, quarter: int) -> FigureRow:
    """The year's figures from January to the end of the quarter."""
    total = FigureRow(key="", label=_("Year to date"))
    for row in figures(Filters(year=year), "quarter"):
        if row.key <= f"{year}-Q{quarter}":
            total.add(Indicator.TURNOVER, row.turnover_fen, row.technology_amount_fen, row.deals)
            total.add(Indicator.LICENSING_CONTRACTED, row.licensing_contracted_fen, 0, 0)
            total.add(Indicator.LICENSING_RECEIVED, row.licensing_received_fen, 0, 0)
    return total


def progress(year: int, *, up_to_quarter: int | None = None) -> list[Progress]:
    """The province's figures for the year (or the year to the end of a quarter) against each indicator's
    target; indicators without one are left out. Targets are province-wide, so no dimension filter applies."""
    totals = year_to_date(year, up_to_quarter) if up_to_quarter else headline(Filters(year=year))
    result = []
    for indicator in Indicator:
        target = target_for(indicator, year)
        if target is None:
            continue
        amount_fen, target_year = target
        result.append(
            Progress(
                indicator=indicator.value,
                label=str(indicator.label),
                year=year,
                actual_fen=totals.amount(indicator),
                target_fen=amount_fen,
                target_year=target_year,
            )
        )
    return result
