"""The "demands solved" figure: technology demands their organisations closed as solved, per period and per
operation centre, rolled up the "1+X" tree as booked (SolvedDemand.centre_path).

The small-cell rule (disclosure.py) hides figures built from fewer than INDICATORS_MIN_DEALS deals because such a
figure tells a stranger what one licensee paid. A count of solved demands carries no amount: it says that some
firms found what they needed, which the firms themselves announced by closing their public demands. So these counts
are shown in full to everyone, whatever their size.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from indicators.models import SolvedDemand, path_ids
from indicators.selectors.figures import PERIODS, Filters, _at_or_below, _centre_order


@dataclass(frozen=True)
class SolvedRow:
    key: str
    label: str
    depth: int
    solved: int


@dataclass(frozen=True)
class SolvedFigures:
    total: int
    by_centre: list[SolvedRow]


def _bookings(filters: Filters):
    condition = Q()
    for name in PERIODS:
        value = getattr(filters, name)
        if value is not None:
            condition &= Q(**{name: value})
    bookings = SolvedDemand.objects.filter(condition)
    if filters.centre_id is not None:
        bookings = bookings.filter(centre_path__contains=f"/{filters.centre_id}/")
    return bookings


def demands_solved(filters: Filters) -> SolvedFigures:
    """The count for the filters' period and centre (a centre stands for itself and those below it), and the same
    count by operation centre. Other slices (city, seller type, field, mode) describe deals, not demands: they
    are not applied here."""
    bookings = _bookings(filters)
    counts: dict[str, int] = {}
    total = 0
    for row in bookings.values("centre_path").annotate(n=Count("id")).order_by():
        total += row["n"]
        for centre_id in _at_or_below(path_ids(row["centre_path"]), filters.centre_id):
            counts[str(centre_id)] = counts.get(str(centre_id), 0) + row["n"]
    rows = [
        SolvedRow(key=key, label=label, depth=depth, solved=counts.get(key, 0))
        for key, label, depth in _centre_order(counts, filters.centre_id)
    ]
    return SolvedFigures(total=total, by_centre=rows)
