"""Indicators: every dashboard query at p95 <= 50 ms over 1,000,000 ledger entries on PostgreSQL, beside a naive
aggregation over the deals for the same figures.

    python -m bench indicators --mode short     # 100,000 ledger entries
    python -m bench indicators --mode full      # 1,000,000 ledger entries

A throwaway PostgreSQL database, `ipmarket_bench_indicators`, on the server DATABASE_URL names (or
postgres://postgres@127.0.0.1:5432), created and dropped here: never the database DATABASE_URL itself. In short
mode an unreachable server falls back to SQLite in a temporary directory, and says so.

The site is migrated and seeded with the demo data (its "1+X" tree, 43 organisations of every kind in all 11
cities, 5,000 listings with real IPC codes); then deals are generated until the ledger holds N entries: completed
licences, transfers and equity deals from 2016 to today with their registered contracts, licence fees and
royalties received, a few refunds and a few cancellations after completion (reversed). The ledger is written as
the booking services would write it, the rollup rebuilt from it (`rollup_rebuild`), and each query is run:

- through the dashboard's selectors (the rollup), 40 times;
- through the same selectors reading the ledger itself instead of the rollup, 10 times;
- as a naive aggregation over the deals (deals -> registration -> listing -> seller -> lead patent, grouped on
  the fly), 10 times; the all-time figures of both must agree.

Slices by city, seller type, field or mode (offered by the API and the exports, not by the dashboard) read the
ledger; they are timed too, and reported apart.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, production_env, temporary_var_dir

ENTRIES = {"short": 100_000, "full": 1_000_000}
TARGET_P95_MS = 50.0
DASHBOARD_REPEATS = 40
OTHER_REPEATS = 10
WARMUP = 3
DEMO_LISTINGS = 5_000
BENCH_DATABASE = "ipmarket_bench_indicators"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
CHUNK_DEALS = 10_000


def run(mode: str = "short") -> bool:
    entries = ENTRIES[mode]
    var_dir = temporary_var_dir("indicators")
    url = _create_database()
    try:
        if url is None:
            if mode == "full":
                print("PostgreSQL is unreachable: the full benchmark needs it.")
                return False
            print("PostgreSQL is unreachable: falling back to SQLite (the 50 ms target is for PostgreSQL).")
            env = production_env(var_dir)
            env.pop("DATABASE_URL", None)
        else:
            env = production_env(var_dir, DATABASE_URL=url)
        started = time.monotonic()
        for args in (["migrate", "--noinput"], ["seed_demo", "--listings", str(DEMO_LISTINGS)]):
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
        print(f"Migrated and seeded the demo ({DEMO_LISTINGS:,} listings) in {time.monotonic() - started:.0f} s")
        worker = subprocess.run(
            [sys.executable, "-m", "bench.indicators", "--entries", str(entries)], cwd=ROOT, env=env, check=False
        )
        return worker.returncode == 0
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if url is not None:
            _drop_database()


def _server_url(database: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _create_database() -> str | None:
    import psycopg

    try:
        with psycopg.connect(_server_url("postgres"), autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    except psycopg.OperationalError as error:
        print(f"({error.__class__.__name__}: {str(error).strip().splitlines()[0]})")
        return None
    return _server_url(BENCH_DATABASE)


def _drop_database() -> None:
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


# --- In the worker process (Django set up on the benchmark database) ------------------------------------------------


def _year_weights(first: int, last: int) -> list[tuple[int, float]]:
    # The market grows about 15 % a year.
    return [(year, 1.15 ** (year - first)) for year in range(first, last + 1)]


def _random_day(rng: random.Random, years: list[tuple[int, float]], today: date) -> date:
    year = rng.choices([year for year, _ in years], weights=[weight for _, weight in years])[0]
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), today)
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _entry(
    entries: list,
    dimensions: dict,
    key: str,
    indicator: str,
    amount: int,
    on: date,
    technology: int = 0,
    reversal: bool = False,
) -> None:
    """A ledger entry as the booking services write it (bulk-created here, so year, quarter and month are set)."""
    from indicators.models import LedgerEntry, quarter_of

    entries.append(
        LedgerEntry(
            source_key=key,
            indicator=indicator,
            is_reversal=reversal,
            amount_fen=amount,
            technology_amount_fen=technology,
            booked_on=on,
            year=on.year,
            quarter=quarter_of(on.month),
            month=on.month,
            **dimensions,
        )
    )


def generate(target_entries: int, seed: int = 2026) -> tuple[int, int]:
    """Deals, their registrations and the ledger entries they book, until the ledger holds target_entries.
    Returns (deals, entries)."""
    from django.db import transaction
    from django.utils import timezone

    from deals.models import ContractRegistration, Deal, DealStatus, Negotiation, Offer
    from indicators.models import (
        Indicator,
        LedgerEntry,
        completion_indicators,
        completion_key,
        path_text,
        payment_key,
        refund_key,
        reversal_key,
    )
    from listings.models import Listing, ListingPatent, ListingStatus
    from marketplace.accounts.models import User
    from marketplace.centres.models import OperationCentre
    from marketplace.centres.selectors import ancestor_ids
    from marketplace.organisations.models import Organisation

    rng = random.Random(seed)
    today = timezone.localdate()
    years = _year_weights(2016, today.year)
    actor = User.objects.order_by("id").first()
    organisations = list(Organisation.objects.values_list("id", "city", "kind"))
    centres = {centre.id: centre for centre in OperationCentre.objects.all()}
    paths = {
        centre_id: path_text([*reversed(ancestor_ids(centre)), centre_id]) for centre_id, centre in centres.items()
    }
    lead_section = {}
    for listing_id, section in ListingPatent.objects.order_by("listing_id", "-position", "-id").values_list(
        "listing_id", "patent__ipc_section"
    ):
        lead_section[listing_id] = section or ""  # the last written is the first position
    listings = [
        (listing_id, seller_id, centre_id, lead_section.get(listing_id, ""))
        for listing_id, seller_id, centre_id in Listing.objects.filter(status=ListingStatus.PUBLISHED).values_list(
            "id", "seller_id", "centre_id"
        )
    ]
    sellers = {organisation_id: (city, kind) for organisation_id, city, kind in organisations}
    booked = deals_made = payment_ids = 0
    while booked < target_entries:
        chunk = []
        for _ in range(CHUNK_DEALS):
            listing_id, seller_id, centre_id, section = rng.choice(listings)
            buyer_id = rng.choice(
                [organisation for organisation, _city, _kind in organisations if organisation != seller_id]
            )
            mode = rng.choices(["licence", "transfer", "equity"], weights=[6, 3, 1])[0]
            total = int(10 ** rng.uniform(7, 9.7))  # 10万 to 5000万元, log-uniform
            chunk.append((listing_id, seller_id, centre_id, section, buyer_id, mode, total))
        with transaction.atomic():
            negotiations = Negotiation.objects.bulk_create(
                [
                    Negotiation(listing_id=item[0], mode=item[5], buyer_id=item[4], opened_by=actor, status="agreed")
                    for item in chunk
                ]
            )
            offers = Offer.objects.bulk_create(
                [
                    Offer(
                        negotiation=negotiation,
                        version=1,
                        proposed_by=actor,
                        side="seller",
                        status="accepted",
                        licence_type="ordinary" if item[5] == "licence" else "",
                        upfront_fee_fen=item[6] if item[5] == "licence" else None,
                        price_fen=item[6] if item[5] == "transfer" else None,
                        appraised_value_fen=item[6] if item[5] == "equity" else None,
                    )
                    for negotiation, item in zip(negotiations, chunk, strict=True)
                ]
            )
            plans = []
            deals = []
            for negotiation, offer, item in zip(negotiations, offers, chunk, strict=True):
                listing_id, seller_id, centre_id, section, buyer_id, mode, total = item
                completed_on = _random_day(rng, years, today)
                cancelled = rng.random() < 0.04
                completed_at = timezone.make_aware(
                    datetime.combine(completed_on, datetime.min.time()) + timedelta(hours=10)
                )
                deals.append(
                    Deal(
                        negotiation=negotiation,
                        offer=offer,
                        listing_id=listing_id,
                        mode=mode,
                        licence_type="ordinary" if mode == "licence" else "",
                        buyer_id=buyer_id,
                        seller_id=seller_id,
                        centre_id=centre_id,
                        status=DealStatus.CANCELLED if cancelled else DealStatus.COMPLETED,
                        registered_at=completed_at,
                        settled_at=completed_at,
                        completed_at=completed_at,
                    )
                )
                plans.append((completed_on, cancelled))
            deals = Deal.objects.bulk_create(deals)
            registrations = []
            entries = []
            for deal, (completed_on, cancelled), item in zip(deals, plans, chunk, strict=True):
                listing_id, seller_id, centre_id, section, buyer_id, mode, total = item
                technology = int(total * rng.uniform(0.7, 1.0))
                registrations.append(
                    ContractRegistration(
                        deal=deal,
                        number=f"BENCH-{deal.pk}",
                        registered_on=completed_on,
                        contract_type="licensing" if mode == "licence" else "transfer",
                        contract_total_fen=total,
                        technology_amount_fen=technology,
                        recorded_by=actor,
                    )
                )
                city, kind = sellers[seller_id]
                dimensions = {
                    "city": city,
                    "centre_id": centre_id,
                    "centre_path": paths[centre_id],
                    "seller_kind": kind,
                    "ipc_section": section,
                    "mode": mode,
                    "deal_id": deal.pk,
                }
                book = partial(_entry, entries, dimensions)
                reversed_on = min(today, completed_on + timedelta(days=rng.randrange(10, 200)))
                for indicator in completion_indicators(mode):
                    key = completion_key(deal.pk, indicator)
                    tech = technology if indicator == Indicator.TURNOVER else 0
                    book(key, indicator, total, completed_on, tech)
                    if cancelled:
                        book(reversal_key(key), indicator, -total, reversed_on, -tech, reversal=True)
                if mode == "licence":
                    # The upfront fee, then royalties over the following quarters, some refunded in part.
                    paid_on = completed_on
                    for _ in range(rng.randrange(0, 5)):
                        if paid_on > today:
                            break
                        payment_ids += 1
                        amount = max(1, total // rng.randint(3, 20))
                        book(payment_key(payment_ids), Indicator.LICENSING_RECEIVED, amount, paid_on)
                        if rng.random() < 0.03:
                            book(
                                refund_key(payment_ids),
                                Indicator.LICENSING_RECEIVED,
                                -(amount // 2),
                                paid_on,
                                reversal=True,
                            )
                        paid_on += timedelta(days=rng.randrange(60, 120))
            ContractRegistration.objects.bulk_create(registrations)
            LedgerEntry.objects.bulk_create(entries, batch_size=5000)
        booked += len(entries)
        deals_made += len(deals)
        print(f"  generated {deals_made:,} deals, {booked:,} ledger entries", flush=True)
    return deals_made, booked


def _timed(function: Callable[[], object], repeats: int) -> list[float]:
    for _ in range(WARMUP):
        function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def naive_queries(year: int) -> dict[str, Callable[[], object]]:
    """The same figures straight from the deals, grouped on the fly (no ledger, no rollup)."""
    from django.db.models import Count, OuterRef, Q, Subquery, Sum
    from django.db.models.functions import ExtractQuarter, ExtractYear
    from django.utils import timezone

    from deals.models import Deal, DealStatus
    from indicators.models import Indicator
    from indicators.selectors import target_for
    from listings.models import ListingPatent
    from marketplace.centres.models import OperationCentre
    from marketplace.centres.selectors import ancestor_ids

    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    completed = Deal.objects.filter(status=DealStatus.COMPLETED)
    in_year = completed.filter(completed_at__gte=start, completed_at__lt=end)
    sums = {
        "turnover": Sum("registration__contract_total_fen"),
        "technology": Sum("registration__technology_amount_fen"),
        "licensing": Sum("registration__contract_total_fen", filter=Q(mode="licence")),
        "deals": Count("id"),
    }
    lead_section = Subquery(
        ListingPatent.objects.filter(listing=OuterRef("listing_id"))
        .order_by("position", "id")
        .values("patent__ipc_section")[:1]
    )

    def by_centre():
        rows = dict(in_year.values_list("centre_id").annotate(total=sums["turnover"]).order_by())
        rolled: dict[int, int] = {}
        for centre in OperationCentre.objects.all():
            for centre_id in [centre.id, *ancestor_ids(centre)]:
                rolled[centre_id] = rolled.get(centre_id, 0) + (rows.get(centre.id) or 0)
        return rolled

    def naive_progress():
        figures = in_year.aggregate(**sums)
        targets = [target_for(indicator, year) for indicator in (Indicator.TURNOVER, Indicator.LICENSING_CONTRACTED)]
        return figures, targets

    return {
        "headline": lambda: in_year.aggregate(**sums),
        "trend by quarter": lambda: list(
            completed.annotate(y=ExtractYear("completed_at"), q=ExtractQuarter("completed_at"))
            .values("y", "q")
            .annotate(**sums)
            .order_by()
        ),
        "by city": lambda: list(in_year.values("seller__city").annotate(**sums).order_by()),
        "by centre (rolled up)": by_centre,
        "by seller type": lambda: list(in_year.values("seller__kind").annotate(**sums).order_by()),
        "by field": lambda: list(in_year.annotate(section=lead_section).values("section").annotate(**sums).order_by()),
        "progress to target": naive_progress,
    }


def check_agreement() -> bool:
    """All time, where every reversal has met its completion, the ledger's rollup and the deals must agree."""
    from django.db.models import Q, Sum

    from deals.models import Deal, DealStatus
    from indicators.selectors import Filters, figures

    naive = {
        city: (turnover or 0, licensing or 0)
        for city, turnover, licensing in Deal.objects.filter(status=DealStatus.COMPLETED)
        .values_list("seller__city")
        .annotate(
            turnover=Sum("registration__contract_total_fen"),
            licensing=Sum("registration__contract_total_fen", filter=Q(mode="licence")),
        )
        .order_by()
    }
    ours = {
        row.key: (row.turnover_fen, row.licensing_contracted_fen)
        for row in figures(Filters(), "city")
        if row.turnover_fen
    }
    return naive == ours


def run_in_process(target_entries: int) -> bool:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum

    from deals.models import Deal
    from indicators.models import LedgerEntry, LedgerRollup
    from indicators.selectors import Filters, figures, headline, progress, trend
    from indicators.services import payment_book, rollup_rebuild

    started = time.monotonic()
    deals, entries = generate(target_entries)
    print(f"Generated {deals:,} deals and {entries:,} ledger entries in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    rows = rollup_rebuild()
    print(f"Rebuilt the rollup from the ledger: {rows:,} rows in {time.monotonic() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT version()")
            engine = cursor.fetchone()[0].split(" on ")[0]
    else:
        engine = f"SQLite {connection.Database.sqlite_version}"
    print(
        f"{engine}: {LedgerEntry.objects.count():,} ledger entries, {LedgerRollup.objects.count():,} rollup rows, "
        f"{Deal.objects.count():,} deals"
    )

    # Booking: one licence payment at a time through the service, as payments would (entry + rollup upsert).
    sample = list(Deal.objects.filter(mode="licence").order_by("?")[:200])
    booking = []
    for index, deal in enumerate(sample):
        began = time.perf_counter()
        payment_book(payment_id=10**9 + index, deal=deal, amount_fen=100_000, kind="royalty", received_on=date.today())
        booking.append((time.perf_counter() - began) * 1000)
    print(
        f"Booking one entry (entry + rollup, own transaction): p50 {statistics.median(booking):.1f} ms, "
        f"p95 {p95(booking):.1f} ms"
    )

    year = date.today().year
    year_filter = Filters(year=year)
    by_centre = (
        LedgerRollup.objects.filter(scope=0, dimension="centre", indicator="turnover")
        .values_list("value")
        .annotate(total=Sum("amount_fen"))
        .order_by("-total")
    )
    busiest = int(by_centre[1][0])  # the busiest centre below the root
    dashboard = {
        "headline": lambda: headline(year_filter),
        "trend by quarter": lambda: trend(year_filter),
        "by city": lambda: figures(year_filter, "city"),
        "by centre (rolled up)": lambda: figures(year_filter, "centre"),
        "by seller type": lambda: figures(year_filter, "seller_kind"),
        "by field": lambda: figures(year_filter, "ipc_section"),
        "progress to target": lambda: progress(year),
        "a centre's detail, by field": lambda: figures(Filters(year=year, centre_id=busiest), "ipc_section"),
    }
    # The API and the exports also slice by city, seller type, field or mode; the rollup holds one dimension at a
    # time, so these read the ledger. Not dashboard queries (the dashboard filters by period and centre only).
    slices = {
        "API: one city, by field": lambda: figures(Filters(year=year, city="hangzhou"), "ipc_section"),
        "API: universities' licences": lambda: headline(Filters(year=year, seller_kind="university", mode="licence")),
    }
    from_ledger = {
        "headline": lambda: figures(year_filter, "total", from_ledger=True),
        "trend by quarter": lambda: figures(Filters(), "quarter", from_ledger=True),
        "by city": lambda: figures(year_filter, "city", from_ledger=True),
        "by centre (rolled up)": lambda: figures(year_filter, "centre", from_ledger=True),
        "by seller type": lambda: figures(year_filter, "seller_kind", from_ledger=True),
        "by field": lambda: figures(year_filter, "ipc_section", from_ledger=True),
        "a centre's detail, by field": lambda: figures(
            Filters(year=year, centre_id=busiest), "ipc_section", from_ledger=True
        ),
    }
    naive = naive_queries(year)

    print(f"\nDashboard queries for {year} (trend: every quarter), milliseconds")
    print(
        f"{'query':32} {'dashboard p50':>13} {'p95':>7}   {'ledger p95':>10}   "
        f"{'naive p50':>9} {'p95':>7}   {'naive/dash':>10}"
    )
    ok = True
    for name, query in dashboard.items():
        times = _timed(query, DASHBOARD_REPEATS)
        ledger_p95 = p95(_timed(from_ledger[name], OTHER_REPEATS)) if name in from_ledger else None
        naive_times = _timed(naive[name], OTHER_REPEATS) if name in naive else None
        within = p95(times) <= TARGET_P95_MS
        ok = ok and within
        ledger_text = f"{ledger_p95:10.1f}" if ledger_p95 is not None else f"{'-':>10}"
        if naive_times:
            naive_text = f"{statistics.median(naive_times):9.1f} {p95(naive_times):7.1f}"
            ratio = f"{p95(naive_times) / p95(times):9.0f}x"
        else:
            naive_text, ratio = f"{'-':>9} {'-':>7}", f"{'-':>10}"
        print(
            f"{name:32} {statistics.median(times):13.2f} {p95(times):7.2f}   {ledger_text}   {naive_text}   {ratio}"
            f"{'' if within else '   over target'}",
            flush=True,
        )
    print("\nSlices for the API and the exports (the ledger itself), milliseconds")
    for name, query in slices.items():
        times = _timed(query, OTHER_REPEATS)
        print(f"{name:32} {statistics.median(times):13.2f} {p95(times):7.2f}", flush=True)
    agree = check_agreement()
    print(f"\nAll-time turnover and licensing by city: ledger and deals {'agree' if agree else 'DISAGREE'}.")
    print(f"Every dashboard query p95 <= {TARGET_P95_MS:.0f} ms: {'yes' if ok else 'NO'}")
    return ok and agree


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, required=True)
    arguments = parser.parse_args()
    sys.exit(0 if run_in_process(arguments.entries) else 1)
