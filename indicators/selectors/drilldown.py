"""The deals behind a figure, for the staff of the centres that host them."""

from django.db.models import QuerySet

from indicators.models import LedgerEntry
from indicators.selectors.figures import Filters, ledger_queryset
from marketplace.centres.selectors import staff_scope


def can_drill_down(user, filters: Filters) -> bool:
    """Centre staff may see the deals behind figures of their centres (and those below); root staff, all."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return False
    return filters.centre_id is None or scope.covers(filters.centre_id)


def entries_behind(user, filters: Filters, indicator: str = "") -> QuerySet[LedgerEntry]:
    """The ledger entries that make up a figure, limited to what the person's centres host."""
    if not can_drill_down(user, filters):
        return LedgerEntry.objects.none()
    entries = ledger_queryset(filters).filter(staff_scope(user).filter_q("centre_id"))
    if indicator:
        entries = entries.filter(indicator=indicator)
    return entries.select_related("deal", "deal__listing", "deal__seller", "deal__buyer", "centre").order_by(
        "-booked_on", "-id"
    )
