"""Writes to the indicators ledger. Every booking goes through `_book`, which inserts the entry at most once and
adds it to the rollup in the same transaction, then tells open dashboards after commit."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Deal
from indicators.models import (
    ROLLUP_KEY,
    ROLLUP_SUMMED,
    SERVICE_FEE_KIND,
    Indicator,
    IndicatorTarget,
    LedgerEntry,
    LedgerRollup,
    SolvedDemand,
    completion_indicators,
    completion_key,
    deals_delta,
    path_text,
    payment_key,
    quarter_of,
    refund_key,
    reversal_key,
    rollup_keys,
    solved_demand_key,
)
from indicators.selectors import can_set_target, rollup_from_ledger
from listings.models import Mode
from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import ancestor_ids
from marketplace.core.notifications import group_send_on_commit

INDICATORS_GROUP = "indicators"


@dataclass(frozen=True)
class Dimensions:
    """What a booking is broken down by, copied from the deal when it is booked."""

    city: str
    centre_id: int
    centre_path: str
    seller_kind: str
    ipc_section: str
    mode: str


def dimensions_of(deal: Deal) -> Dimensions:
    centre = deal.centre
    # The lead patent (first position) classifies a portfolio.
    ipc_section = (
        deal.listing.listing_patents.order_by("position", "id").values_list("patent__ipc_section", flat=True).first()
    )
    return Dimensions(
        city=deal.seller.city,
        centre_id=centre.id,
        centre_path=path_text([*reversed(ancestor_ids(centre)), centre.id]),
        seller_kind=deal.seller.kind,
        ipc_section=ipc_section or "",
        mode=deal.mode,
    )


def _dimensions_of_entry(entry: LedgerEntry) -> Dimensions:
    return Dimensions(
        city=entry.city,
        centre_id=entry.centre_id,
        centre_path=entry.centre_path,
        seller_kind=entry.seller_kind,
        ipc_section=entry.ipc_section,
        mode=entry.mode,
    )


# --- The rollup ----------------------------------------------------------------------------------------------

ROLLUP_COLUMNS = (*ROLLUP_KEY, "quarter", *ROLLUP_SUMMED)  # ROLLUP_KEY is the unique constraint ledger_rollup_key


def _rollup_upsert_sql(row_count: int) -> str:
    quote = connection.ops.quote_name
    table = quote(LedgerRollup._meta.db_table)
    columns = ", ".join(quote(column) for column in ROLLUP_COLUMNS)
    key = ", ".join(quote(column) for column in ROLLUP_KEY)
    added = ", ".join(
        f"{quote(column)} = {table}.{quote(column)} + excluded.{quote(column)}" for column in ROLLUP_SUMMED
    )
    row = "(" + ", ".join(["%s"] * len(ROLLUP_COLUMNS)) + ")"
    values = ", ".join([row] * row_count)
    # Fixed table and column names; every value is a parameter.
    return f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT ({key}) DO UPDATE SET {added}"  # noqa: S608


def _rollup_add(entry: LedgerEntry) -> None:
    """Add one new entry to its rollup rows with a single INSERT ... ON CONFLICT DO UPDATE (the same syntax on
    SQLite and PostgreSQL; the ORM's bulk upsert can only overwrite a column, not add to it).

    The rows are sorted so that concurrent bookings lock the shared rows (the province's "all" row of the month
    above all) in the same order and queue instead of deadlocking.
    """
    keys = sorted(
        rollup_keys(
            centre_path=entry.centre_path,
            city=entry.city,
            seller_kind=entry.seller_kind,
            ipc_section=entry.ipc_section,
            mode=entry.mode,
        )
    )
    deals = deals_delta(entry.indicator, entry.is_reversal)
    params: list = []
    for scope, dimension, value in keys:
        # str(): a plain string for the driver, not the TextChoices member the entry may hold.
        params += [scope, dimension, value, entry.year, entry.month, str(entry.indicator), entry.quarter]
        params += [entry.amount_fen, entry.technology_amount_fen, deals, 1]
    with connection.cursor() as cursor:
        cursor.execute(_rollup_upsert_sql(len(keys)), params)


@transaction.atomic
def rollup_rebuild() -> int:
    """Recompute the rollup from the ledger (it is derived data; the ledger is never touched). Returns the
    number of rollup rows."""
    if connection.vendor == "postgresql":
        # Bookings that start while we rebuild wait here, then add to the rebuilt rows: none is lost or doubled.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(LedgerRollup._meta.db_table)} IN EXCLUSIVE MODE")
    LedgerRollup.objects.all().delete()
    rows = rollup_from_ledger()
    LedgerRollup.objects.bulk_create(
        (
            LedgerRollup(
                scope=scope,
                dimension=dimension,
                value=value,
                year=year,
                month=month,
                indicator=indicator,
                quarter=quarter_of(month),
                amount_fen=sums[0],
                technology_amount_fen=sums[1],
                deals=sums[2],
                entries=sums[3],
            )
            for (scope, dimension, value, year, month, indicator), sums in rows.items()
        ),
        batch_size=5000,
    )
    return len(rows)


# --- Booking -------------------------------------------------------------------------------------------------


def _book(
    *,
    source_key: str,
    indicator: str,
    amount_fen: int,
    booked_on: date,
    dimensions: Dimensions,
    deal_id: int,
    is_reversal: bool = False,
    technology_amount_fen: int = 0,
) -> LedgerEntry | None:
    """Insert the entry unless its source key is already booked; None when it was.

    The unique index on source_key is the exactly-once guarantee: get_or_create inserts in a savepoint, and
    a concurrent transaction booking the same key waits on the index, fails, and finds the committed row.
    """
    entry, created = LedgerEntry.objects.get_or_create(
        source_key=source_key,
        defaults={
            "indicator": indicator,
            "is_reversal": is_reversal,
            "amount_fen": amount_fen,
            "technology_amount_fen": technology_amount_fen,
            "booked_on": booked_on,
            "city": dimensions.city,
            "centre_id": dimensions.centre_id,
            "centre_path": dimensions.centre_path,
            "seller_kind": dimensions.seller_kind,
            "ipc_section": dimensions.ipc_section,
            "mode": dimensions.mode,
            "deal_id": deal_id,
        },
    )
    if not created:
        return None
    _rollup_add(entry)
    return entry


@transaction.atomic
def completion_book(*, deal: Deal) -> list[LedgerEntry]:
    """Book a completed deal: turnover on the registered contract total with the technology transaction amount
    beside it, and licensing revenue (contracted) for a licence. Returns what was booked now ([] on a replay)."""
    # The deals state machine completes a deal only once its contract is registered, so a missing
    # registration is a bug upstream: let it fail the completion rather than book a wrong figure.
    registration = deal.registration
    dimensions = dimensions_of(deal)
    booked_on = timezone.localdate(deal.completed_at) if deal.completed_at else timezone.localdate()
    booked = [
        _book(
            source_key=completion_key(deal.pk, indicator),
            indicator=indicator,
            amount_fen=registration.contract_total_fen,
            technology_amount_fen=registration.technology_amount_fen if indicator == Indicator.TURNOVER else 0,
            booked_on=booked_on,
            dimensions=dimensions,
            deal_id=deal.pk,
        )
        for indicator in completion_indicators(deal.mode)
    ]
    return _announce(booked)


@transaction.atomic
def reversal_book(*, deal: Deal) -> list[LedgerEntry]:
    """Reverse what the deal's completion booked, on the day of the reversal, with the original dimensions, so
    the deal nets to zero in every breakdown. Licensing revenue already *received* stays: money comes back only
    by a refund, which payments announces and refund_book reverses."""
    if deal.completed_at is not None:
        # Events may be replayed in any order: a reversal never comes before what it reverses.
        completion_book(deal=deal)
    originals = LedgerEntry.objects.filter(
        source_key__in=[completion_key(deal.pk, indicator) for indicator in completion_indicators(Mode.LICENCE)],
        is_reversal=False,
    ).order_by("id")
    today = timezone.localdate()
    booked = [
        _book(
            source_key=reversal_key(original.source_key),
            indicator=original.indicator,
            amount_fen=-original.amount_fen,
            technology_amount_fen=-original.technology_amount_fen,
            booked_on=today,
            dimensions=_dimensions_of_entry(original),
            deal_id=deal.pk,
            is_reversal=True,
        )
        for original in originals
    ]
    return _announce(booked)


def counts_as_licensing_revenue(deal: Deal, kind: str) -> bool:
    return deal.mode == Mode.LICENCE and kind != SERVICE_FEE_KIND


@transaction.atomic
def payment_book(*, payment_id: int, deal: Deal, amount_fen: int, kind: str, received_on: date) -> LedgerEntry | None:
    """Licensing revenue *received*: a licence fee or royalty paid on a licence deal (not the platform's fee)."""
    if not counts_as_licensing_revenue(deal, kind):
        return None
    if amount_fen < 0:
        raise ValueError("A payment received cannot be negative.")
    entry = _book(
        source_key=payment_key(payment_id),
        indicator=Indicator.LICENSING_RECEIVED,
        amount_fen=amount_fen,
        booked_on=received_on,
        dimensions=dimensions_of(deal),
        deal_id=deal.pk,
    )
    _announce([entry])
    return entry


@transaction.atomic
def refund_book(*, refund_id: int, deal: Deal, amount_fen: int, kind: str, refunded_on: date) -> LedgerEntry | None:
    """A refund of licensing revenue received, booked as a negative entry on the day of the refund."""
    if not counts_as_licensing_revenue(deal, kind):
        return None
    if amount_fen < 0:
        raise ValueError("A refund amount is given as a positive number of fen.")
    entry = _book(
        source_key=refund_key(refund_id),
        indicator=Indicator.LICENSING_RECEIVED,
        amount_fen=-amount_fen,
        booked_on=refunded_on,
        dimensions=dimensions_of(deal),
        deal_id=deal.pk,
        is_reversal=True,
    )
    _announce([entry])
    return entry


def _announce(booked: Iterable[LedgerEntry | None]) -> list[LedgerEntry]:
    entries = [entry for entry in booked if entry is not None]
    if entries:
        notify_figures_changed_on_commit(entries)
    return entries


def notify_figures_changed_on_commit(entries: list[LedgerEntry]) -> None:
    """Tell every open dashboard that figures changed, once the booking has committed. The message carries no
    figures: each page asks the API again with its own filters."""
    payload = {
        "event": "figures_changed",
        "indicators": sorted({entry.indicator for entry in entries}),
        "years": sorted({entry.year for entry in entries}),
    }

    # The booking has committed; a channel layer that is down must not fail the request behind it.
    group_send_on_commit(INDICATORS_GROUP, {"type": "figures.changed", "payload": payload})


# --- Targets -------------------------------------------------------------------------------------------------


def target_set(
    *,
    indicator: str,
    year: int,
    amount_fen: int,
    centre: OperationCentre | None = None,
    actor=None,
    note: str = "",
) -> IndicatorTarget:
    """Set (or change) the target of one indicator for one year, province-wide or for one centre. Targets are
    configuration, not ledger. With an actor, only those `can_set_target` allows may (the platform for
    province-wide targets, a centre's administrators for their centres); without one it is the system (seeds)."""
    centre_id = centre.id if centre is not None else None
    if actor is not None and not can_set_target(actor, centre_id):
        raise PermissionDenied(_("Only the administrators of this centre or of the platform may set its targets."))
    target = IndicatorTarget.objects.filter(indicator=indicator, year=year, centre_id=centre_id).first()
    target = target or IndicatorTarget(indicator=indicator, year=year, centre=centre)
    target.amount_fen = amount_fen
    target.note = note
    target.updated_by = actor
    target.full_clean()
    target.save()
    return target


def target_remove(*, target: IndicatorTarget, actor) -> None:
    """Remove a target (the year then shows none): the same people as may set it."""
    if not can_set_target(actor, target.centre_id):
        raise PermissionDenied(_("Only the administrators of this centre or of the platform may set its targets."))
    target.delete()


# --- Demands solved ------------------------------------------------------------------------------------------


@transaction.atomic
def solved_demand_book(
    *, demand_id: int, centre: OperationCentre, solved_on: date, deal: Deal | None = None
) -> SolvedDemand:
    """Count a technology demand closed as solved for its hosting centre (and, through the booked path, every
    centre above it) in the period it was solved. Exactly once per demand, however often it is called: the source
    key is unique, and a second call returns the first booking."""
    key = solved_demand_key(demand_id)
    existing = SolvedDemand.objects.filter(source_key=key).first()
    if existing is not None:
        return existing
    booking = SolvedDemand(
        source_key=key,
        demand_id=demand_id,
        deal=deal,
        centre=centre,
        centre_path=path_text([*reversed(ancestor_ids(centre)), centre.id]),
        booked_on=solved_on,
    )
    booking.full_clean(exclude=["year", "quarter", "month"])
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:  # booked a moment ago by another call for the same demand
        return SolvedDemand.objects.get(source_key=key)
    return booking
