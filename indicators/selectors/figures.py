"""The figures: by period and dimension, the headline, the trend and the breakdowns.

Figures are public aggregates. They are read from the rollup when the filters are a period and at most a centre
(every dashboard view), and from the ledger itself when they also slice by city, seller type, field or mode
(the rollup holds one dimension at a time). Both give the same numbers: `indicators_verify` checks it.
"""

from dataclasses import asdict, dataclass, fields, replace

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import (
    PROVINCE,
    Indicator,
    LedgerEntry,
    LedgerRollup,
    RollupDimension,
    deals_delta,
    path_ids,
    quarter_of,
)
from listings.ipc_sections import ipc_section_title
from listings.models import Mode
from listings.patents.ipc import IPC_SECTIONS
from marketplace.centres.selectors import centres_with_depth, descendant_ids
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind

PERIODS = ("year", "quarter", "month")
BREAKDOWNS = ("city", "centre", "seller_kind", "ipc_section", "mode")
GROUPINGS = ("total", *PERIODS, *BREAKDOWNS)
# Filters the rollup cannot answer together with another dimension.
SLICES = ("city", "seller_kind", "ipc_section", "mode")
MAIN_SELLER_KINDS = (OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE, OrganisationKind.ENTERPRISE)


def grouping_title(by: str) -> str:
    return {
        "total": _("Total"),
        "year": _("Year"),
        "quarter": _("Quarter"),
        "month": _("Month"),
        "city": _("City"),
        "centre": _("Operation centre"),
        "seller_kind": _("Seller type"),
        "ipc_section": _("Technology field (IPC section)"),
        "mode": _("Mode"),
    }[by]


@dataclass(frozen=True)
class Filters:
    """A period (year, optionally a quarter or a month) and dimension values; empty means all."""

    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    # A centre stands for itself and everything booked below it.
    centre_id: int | None = None
    city: str = ""
    seller_kind: str = ""
    ipc_section: str = ""
    mode: str = ""

    @property
    def slices(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SLICES if getattr(self, name)}

    def without_period(self) -> "Filters":
        return replace(self, year=None, quarter=None, month=None)

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters (the names the forms and the API take)."""
        params = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value not in (None, ""):
                params["centre" if field.name == "centre_id" else field.name] = str(value)
        return params


AMOUNT_FIELDS = ("turnover_fen", "technology_amount_fen", "licensing_contracted_fen", "licensing_received_fen")


@dataclass
class FigureRow:
    """Every indicator for one group (a period, a city, a centre ...), in fen; `deals` counts completed deals
    net of reversals. `depth` indents centres below the one in scope."""

    key: str
    label: str = ""
    depth: int = 0
    # None only in a row hidden from the public by the small-cell rule (selectors/disclosure.py).
    turnover_fen: int | None = 0
    technology_amount_fen: int | None = 0
    licensing_contracted_fen: int | None = 0
    licensing_received_fen: int | None = 0
    deals: int | None = 0
    suppressed: bool = False
    # Why a suppressed row is hidden: FEW_DEALS, or COMPLEMENT (hidden so that a lone hidden row cannot be worked
    # out as the total minus the others).
    suppressed_reason: str = ""

    def add(self, indicator: str, amount_fen: int, technology_amount_fen: int, deals: int) -> None:
        if indicator == Indicator.TURNOVER:
            self.turnover_fen += amount_fen
        elif indicator == Indicator.LICENSING_CONTRACTED:
            self.licensing_contracted_fen += amount_fen
        elif indicator == Indicator.LICENSING_RECEIVED:
            self.licensing_received_fen += amount_fen
        self.technology_amount_fen += technology_amount_fen
        self.deals += deals

    def amount(self, indicator: str) -> int:
        return getattr(self, f"{indicator}_fen")

    def as_dict(self) -> dict:
        return asdict(self)


# --- Reading the sums ------------------------------------------------------------------------------------------


def _period_q(filters: Filters) -> Q:
    condition = Q()
    for name in PERIODS:
        value = getattr(filters, name)
        if value is not None:
            condition &= Q(**{name: value})
    return condition


def _period_key(by: str, row: dict) -> str:
    if by == "year":
        return str(row["year"])
    if by == "quarter":
        return f"{row['year']}-Q{row['quarter']}"
    if by == "month":
        return f"{row['year']}-{row['month']:02d}"
    return ""


def _period_fields(by: str) -> list[str]:
    return {"year": ["year"], "quarter": ["year", "quarter"], "month": ["year", "month"]}.get(by, [])


def _from_rollup(filters: Filters, by: str) -> dict[str, FigureRow]:
    scope = filters.centre_id or PROVINCE
    dimension = by if by in BREAKDOWNS else RollupDimension.ALL
    group = _period_fields(by) if by not in BREAKDOWNS else ["value"]
    rows = (
        LedgerRollup.objects.filter(_period_q(filters), scope=scope, dimension=dimension)
        .values(*group, "indicator")
        .annotate(amount=Sum("amount_fen"), technology=Sum("technology_amount_fen"), deal_count=Sum("deals"))
        .order_by()
    )
    sums: dict[str, FigureRow] = {}
    for row in rows:
        key = row["value"] if by in BREAKDOWNS else _period_key(by, row)
        sums.setdefault(key, FigureRow(key=key)).add(
            row["indicator"], row["amount"], row["technology"], row["deal_count"]
        )
    return sums


def ledger_queryset(filters: Filters) -> QuerySet[LedgerEntry]:
    """The ledger entries behind the figures for these filters."""
    entries = LedgerEntry.objects.filter(_period_q(filters), **filters.slices)
    if filters.centre_id is not None:
        # As booked: a centre's figures are the entries whose path, at booking time, ran through it.
        entries = entries.filter(centre_path__contains=f"/{filters.centre_id}/")
    return entries


DEALS_COUNTED = Case(
    When(indicator=Indicator.TURNOVER, is_reversal=False, then=Value(deals_delta(Indicator.TURNOVER, False))),
    When(indicator=Indicator.TURNOVER, is_reversal=True, then=Value(deals_delta(Indicator.TURNOVER, True))),
    default=Value(0),
    output_field=IntegerField(),
)


def _from_ledger(filters: Filters, by: str) -> dict[str, FigureRow]:
    group = _period_fields(by) if by not in BREAKDOWNS else ["centre_path" if by == "centre" else by]
    rows = (
        ledger_queryset(filters)
        .values(*group, "indicator")
        .annotate(amount=Sum("amount_fen"), technology=Sum("technology_amount_fen"), deal_count=Sum(DEALS_COUNTED))
        .order_by()
    )
    sums: dict[str, FigureRow] = {}
    for row in rows:
        if by == "centre":
            keys = [str(centre_id) for centre_id in _at_or_below(path_ids(row["centre_path"]), filters.centre_id)]
        elif by in BREAKDOWNS:
            keys = [row[by]]
        else:
            keys = [_period_key(by, row)]
        for key in keys:
            sums.setdefault(key, FigureRow(key=key)).add(
                row["indicator"], row["amount"], row["technology"], row["deal_count"]
            )
    return sums


def _at_or_below(path: list[int], scope: int | None) -> list[int]:
    """The "1+X" roll-up: an entry counts for every centre on its path at or below the scope."""
    if scope is None or scope not in path:
        return path
    return path[path.index(scope) :]


# --- Arranging them for people ---------------------------------------------------------------------------------


def _ordered(sums: dict[str, FigureRow], keys_with_labels: list[tuple[str, str, int]]) -> list[FigureRow]:
    """The given keys in order (zero rows included), then any other key found in the sums."""
    ordered = []
    for key, label, depth in keys_with_labels:
        row = sums.pop(key, None) or FigureRow(key=key)
        row.label, row.depth = label, depth
        ordered.append(row)
    for key in sorted(sums):
        row = sums[key]
        row.label = row.label or key or _("Not recorded")
        ordered.append(row)
    return ordered


# An open-ended trend (no year chosen) spans at least this many periods up to the current one: all deals of a
# young platform fall in one quarter, and a chart of one quarter is a single dot, not a series.
TREND_MIN_PERIODS = {"year": 5, "quarter": 8, "month": 12}


def _current_period(by: str) -> str:
    today = timezone.localdate()
    if by == "year":
        return str(today.year)
    if by == "quarter":
        return f"{today.year}-Q{quarter_of(today.month)}"
    return f"{today.year}-{today.month:02d}"


def _periods_back(by: str, key: str, count: int) -> str:
    """The period `count - 1` periods before `key` (so that the span from it to `key` holds `count`)."""
    if by == "year":
        return str(int(key) - count + 1)
    per_year = 4 if by == "quarter" else 12
    year, part = key.split("-")
    index = int(year) * per_year + int(part.lstrip("Q")) - 1 - (count - 1)
    year, part = divmod(index, per_year)
    return f"{year}-Q{part + 1}" if by == "quarter" else f"{year}-{part + 1:02d}"


def _trend_span(by: str, keys: list[str]) -> list[str]:
    """With figures: from the first period with figures, or TREND_MIN_PERIODS back from now if that is
    earlier, to the current period (or the last with figures, if later: a booking dated ahead)."""
    if not keys:
        return []
    now = _current_period(by)
    return [*keys, now, _periods_back(by, now, TREND_MIN_PERIODS[by])]


def _periods_between(by: str, keys: list[str]) -> list[str]:
    """Every period from the first key to the last, so a trend shows quiet quarters as zero."""
    if not keys:
        return []
    first, last = min(keys), max(keys)
    if by == "year":
        return [str(year) for year in range(int(first), int(last) + 1)]
    per_year = 4 if by == "quarter" else 12

    def split(key: str) -> tuple[int, int]:
        year, part = key.split("-")
        return int(year), int(part.lstrip("Q"))

    (year, part), end = split(first), split(last)
    periods = []
    while (year, part) <= end:
        periods.append(f"{year}-Q{part}" if by == "quarter" else f"{year}-{part:02d}")
        year, part = (year + 1, 1) if part == per_year else (year, part + 1)
    return periods


def _period_label(by: str, key: str) -> str:
    if by == "quarter":
        year, quarter = key.split("-")
        return _("%(year)s %(quarter)s") % {"year": year, "quarter": quarter}
    return key


def _centre_order(sums: dict[str, FigureRow], scope: int | None) -> list[tuple[str, str, int]]:
    tree = centres_with_depth()
    in_scope = descendant_ids([scope]) if scope else {centre.id for centre, _depth in tree}
    scope_depth = next((depth for centre, depth in tree if centre.id == scope), 0)
    return [
        (str(centre.id), centre.name, depth - scope_depth)
        for centre, depth in tree
        if centre.id in in_scope or str(centre.id) in sums
    ]


def _arrange(by: str, sums: dict[str, FigureRow], filters: Filters) -> list[FigureRow]:
    if by == "total":
        return _ordered(sums, [("", _("Total"), 0)])
    if by in PERIODS:
        keys = list(sums) if filters.year else _trend_span(by, list(sums))
        return _ordered(sums, [(key, _period_label(by, key), 0) for key in _periods_between(by, keys)])
    if by == "city":
        return _ordered(sums, [(city.value, str(city.label), 0) for city in City])
    if by == "centre":
        return _ordered(sums, _centre_order(sums, filters.centre_id))
    if by == "seller_kind":
        kinds = [kind for kind in OrganisationKind if kind in MAIN_SELLER_KINDS or kind.value in sums]
        return _ordered(sums, [(kind.value, str(kind.label), 0) for kind in kinds])
    if by == "ipc_section":
        sections = [(letter, f"{letter} · {ipc_section_title(letter)}", 0) for letter in IPC_SECTIONS]
        if "" in sums:
            sections.append(("", _("Unclassified"), 0))
        return _ordered(sums, sections)
    if by == "mode":
        return _ordered(sums, [(mode.value, str(mode.label), 0) for mode in Mode])
    raise ValueError(f"Unknown grouping {by!r}")


# --- The public reads ------------------------------------------------------------------------------------------


def figures(filters: Filters, by: str, *, from_ledger: bool = False) -> list[FigureRow]:
    """The figures for the filters, grouped `by` one of GROUPINGS. `from_ledger` reads the ledger even when
    the rollup could answer (for verification and the benchmark)."""
    if by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}")
    sums = _from_ledger(filters, by) if from_ledger or filters.slices else _from_rollup(filters, by)
    return _arrange(by, sums, filters)


def headline(filters: Filters) -> FigureRow:
    return figures(filters, "total")[0]


def trend(filters: Filters, by: str = "quarter") -> list[FigureRow]:
    """Every period from the first with figures to the current one (at least TREND_MIN_PERIODS of them),
    whatever period the filters name."""
    return figures(filters.without_period(), by)


def years_with_figures() -> list[int]:
    return sorted(
        LedgerRollup.objects.filter(scope=PROVINCE, dimension=RollupDimension.ALL)
        .values_list("year", flat=True)
        .distinct()
        .order_by()
    )
