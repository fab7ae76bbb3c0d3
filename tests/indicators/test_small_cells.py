"""The small-cell rule: the public never reads a figure built from fewer than INDICATORS_MIN_DEALS deals — not in
the open API, the dashboard or the exports — and cannot work one out as a total minus the figures it does see;
the centres' staff see everything."""

import csv
import io

import pytest
from bs4 import BeautifulSoup

from tests.indicators.conftest import completed_deal

pytestmark = pytest.mark.django_db

HIDDEN = "—"


@pytest.fixture
def fields(world, settings):
    """Three licences in field H, three in field A, one transfer in field G (a single deal: its price)."""
    settings.INDICATORS_MIN_DEALS = 3
    for _ in range(3):
        completed_deal(world, "licence", total=50_000_000, technology=48_000_000)
        completed_deal(world, "licence", total=60_000_000, technology=50_000_000, ipc="A61K 9/00")
    completed_deal(world, "transfer", total=170_000_000, technology=150_000_000, ipc="G06F 16/33")


def _rows_by_key(client) -> dict[str, dict]:
    answer = client.get("/api/v1/indicators/by/ipc_section").json()
    return {row["key"]: row for row in answer["rows"]}, answer["total"]


def test_the_open_api_hides_a_single_deal_and_one_more_row_so_it_cannot_be_subtracted(client, fields):
    rows, total = _rows_by_key(client)
    assert rows["G"]["suppressed"] and rows["G"]["turnover_fen"] is None and rows["G"]["deals"] is None
    # G = total - H - A if both were shown: the smaller of the two (H, 3 deals of 50万元) is hidden as well.
    assert rows["H"]["suppressed"] and rows["H"]["turnover_fen"] is None
    assert not rows["A"]["suppressed"] and rows["A"]["turnover_fen"] == 180_000_000 and rows["A"]["deals"] == 3
    assert total["deals"] == 7 and total["turnover_fen"] == 500_000_000


def test_the_centres_staff_see_every_figure(client_for, world, fields):
    rows, _total = _rows_by_key(client_for(world.root_staff))
    assert not any(row["suppressed"] for row in rows.values())
    assert rows["G"]["turnover_fen"] == 170_000_000 and rows["G"]["deals"] == 1


def test_the_dashboard_and_the_export_show_a_dash_to_the_public(client, fields):
    page = BeautifulSoup(client.get("/indicators/?year=").content, "html.parser")
    g_row = page.select_one("#table-ipc_section tr[data-key='G']")
    assert [cell.get_text(strip=True) for cell in g_row.select("td")] == [HIDDEN] * 5
    a_row = page.select_one("#table-ipc_section tr[data-key='A']")
    assert a_row.select_one("[data-field='deals']").get_text(strip=True) == "3"
    assert "少于 3 笔成交" in page.get_text()  # the dash is explained

    export = client.get("/indicators/export/?by=ipc_section&format=csv&year=").content.decode("utf-8-sig")
    rows = {line[0]: line for line in csv.reader(io.StringIO(export)) if line}
    assert rows["G"][2:] == [HIDDEN] * 5
    assert "1700000.00" not in export


def test_the_workbook_says_why_its_dashes_are_there(client, fields):
    import openpyxl

    workbook = client.get("/indicators/export/?by=ipc_section&format=xlsx&year=").content
    about = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets[1]
    notes = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert "少于 3 笔" in notes[HIDDEN] or "fewer than 3 deals" in notes[HIDDEN]


def test_a_year_with_too_few_deals_hides_its_progress_and_headline(client, world, settings, targets_this_year):
    settings.INDICATORS_MIN_DEALS = 3
    completed_deal(world, "licence", total=50_000_000, technology=48_000_000)
    answer = client.get("/api/v1/indicators", {"year": world_year()}).json()
    assert answer["total"]["suppressed"] and answer["total"]["turnover_fen"] is None
    assert answer["progress"] and all(
        item["actual_fen"] is None and item["percent"] is None for item in answer["progress"]
    )


def world_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
