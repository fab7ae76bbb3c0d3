"""`indicators_export` writes the dashboard's figures; `indicators_verify` recomputes them and fails on any
difference."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import load_workbook

from indicators.models import LedgerEntry, LedgerRollup
from indicators.selectors import Filters, headline
from tests.indicators.conftest import cancel, completed_deal, pay, refund

pytestmark = pytest.mark.django_db
YEAR = date.today().year


@pytest.fixture
def deals(world):
    licence = completed_deal(world, "licence", total=50_000_000, technology=48_000_000)
    transfer = completed_deal(world, "transfer", total=180_000_000, technology=150_000_000)
    pay(licence, 1, 20_000_000)
    refund(licence, 1, 5_000_000)
    return licence, transfer


def fen(value) -> int:
    return int(Decimal(str(value)) * 100)


def test_the_export_command_writes_csv_with_the_dashboards_totals(deals, tmp_path):
    output = tmp_path / "figures.csv"
    out = io.StringIO()
    call_command(
        "indicators_export",
        "--year",
        str(YEAR),
        "--format",
        "csv",
        "--by",
        "centre",
        "--output",
        str(output),
        stdout=out,
    )
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    total = headline(Filters(year=YEAR))
    assert fen(rows[-1][2]) == total.turnover_fen == 230_000_000
    assert fen(rows[-1][5]) == total.licensing_received_fen == 15_000_000
    assert "Wrote" in out.getvalue()


def test_the_export_command_writes_xlsx_to_a_default_file_name(deals, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("indicators_export", "--year", str(YEAR), "--format", "xlsx", stdout=io.StringIO())
    sheet = load_workbook(tmp_path / f"indicators-{YEAR}-city.xlsx").worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert sum(fen(row[2]) for row in values[1:-1]) == fen(values[-1][2]) == headline(Filters(year=YEAR)).turnover_fen


def test_the_export_command_refuses_bad_parameters(world):
    with pytest.raises(CommandError, match="city"):
        call_command("indicators_export", "--year", str(YEAR), "--city", "shanghai", stdout=io.StringIO())


def test_verify_passes_when_the_ledger_matches_the_deals(world, deals):
    cancel(world, deals[1])
    out = io.StringIO()
    call_command("indicators_verify", stdout=out)
    assert "matches" in out.getvalue()


def insert_raw_entry(source_key: str, amount_fen: int, deal) -> None:
    """What a careless hand with a database console might do."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO indicators_ledgerentry (source_key, indicator, is_reversal, amount_fen, technology_amount_fen,"
            " booked_on, year, quarter, month, city, centre_path, seller_kind, ipc_section, mode, created_at,"
            " centre_id, deal_id) VALUES (%s, 'turnover', %s, %s, 0, %s, %s, 1, 1, 'hangzhou', %s, 'university', 'H',"
            " 'licence', %s, %s, %s)",
            [
                source_key,
                False,
                amount_fen,
                date(YEAR, 1, 2),
                YEAR,
                f"/{deal.centre_id}/",
                date(YEAR, 1, 2),
                deal.centre_id,
                deal.pk,
            ],
        )


@pytest.mark.parametrize("source_key", ["bogus:1", "deal:{pk}:turnover:reversal", "payment:99:turnover"])
def test_verify_fails_when_the_ledger_is_tampered_with(deals, source_key):
    licence, _transfer = deals
    insert_raw_entry(source_key.format(pk=licence.pk), 10_000_000, licence)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("indicators_verify", stdout=out)
    assert failure.value.returncode == 1
    assert source_key.format(pk=licence.pk) in out.getvalue()


def test_verify_notices_a_rollup_that_drifted_and_rebuilding_repairs_it(deals):
    LedgerRollup.objects.filter(scope=0, dimension="all").update(amount_fen=1)
    with pytest.raises(CommandError):
        call_command("indicators_verify", stdout=io.StringIO())
    entries_before = list(LedgerEntry.objects.values_list("id", "amount_fen"))
    call_command("indicators_verify", "--rebuild-rollup", stdout=io.StringIO())
    assert list(LedgerEntry.objects.values_list("id", "amount_fen")) == entries_before
    assert headline(Filters()).turnover_fen == 230_000_000
