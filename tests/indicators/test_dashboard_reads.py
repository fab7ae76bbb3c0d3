"""A dashboard that reads (issue 23, point 4), from the side of the people who use it: progress against the target
of the same year and scope, targets set by the administrators who may, every chart with a table view and a
download of exactly its figures, and hidden cells that say why they are empty."""

import csv
import io
import json
from datetime import date

import pytest
from bs4 import BeautifulSoup

from indicators.models import Indicator, IndicatorTarget
from indicators.services import target_set
from tests.factories import CentreStaffFactory
from tests.indicators.conftest import completed_deal

pytestmark = pytest.mark.django_db
YEAR = date.today().year
FIELDS = ("turnover_fen", "technology_amount_fen", "licensing_contracted_fen", "licensing_received_fen")


def page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


# --- Progress against the target of the same year ----------------------------------------------------------------


def test_progress_is_this_years_figure_against_this_years_target(client, deals, targets_this_year):
    soup = page(client, f"/indicators/?year={YEAR}")
    turnover = soup.select_one("[data-progress=turnover]")
    # 230万元 of 1,000万元.
    assert turnover.select_one("[data-field=percent]").get_text() == "23.0%"
    assert turnover.select_one("[data-field=target_fen]").get_text() == "1000万元"
    assert float(turnover.select_one("meter")["value"]) == 23.0
    assert str(YEAR) in turnover.get_text()
    licensing = soup.select_one("[data-progress=licensing_contracted]")
    assert licensing.select_one("[data-field=percent]").get_text() == "25.0%"  # 50万元 of 200万元


def test_a_year_without_a_target_says_so_instead_of_a_bar_and_shows_2020_as_history(client, deals):
    soup = page(client, f"/indicators/?year={YEAR}")
    assert soup.select("[data-progress] meter") == []
    lines = soup.select("[data-progress]")
    assert len(lines) == 3
    for line in lines:
        assert str(YEAR) in line.select_one("[data-field=no-target]").get_text()  # "2026 年尚未设定目标。"
    history = soup.select_one("#table-target-history")
    plan = history.select_one("tr[data-year='2020'][data-indicator=turnover]")
    assert plan is not None and "220亿元" in plan.get_text()
    assert history.select_one("tr[data-year='2020'][data-indicator=licensing_contracted]") is not None


def test_the_2020_page_measures_2020_against_the_plan(client, deals):
    soup = page(client, "/indicators/?year=2020")
    turnover = soup.select_one("[data-progress=turnover]")
    assert turnover.select_one("meter") is not None
    assert turnover.select_one("[data-field=target_fen]").get_text() == "220亿元"


def test_a_centres_page_measures_the_centre_against_its_own_target(client, world, deals):
    target_set(indicator=Indicator.TURNOVER, year=YEAR, centre=world.ningbo, amount_fen=460_000_000)
    soup = page(client, f"/indicators/?year={YEAR}&centre={world.ningbo.id}")
    turnover = soup.select_one("[data-progress=turnover]")
    assert turnover.select_one("[data-field=percent]").get_text() == "50.0%"  # 230万元 of 460万元
    assert world.ningbo.name in soup.select_one("#progress-title").get_text()
    config = json.loads(soup.select_one("script#indicators-data").get_text())
    assert config["liveProgress"] is False  # the open API's progress is the province's: not redrawn over it
    # Hangzhou has no target of its own; the province's would not be its.
    soup = page(client, f"/indicators/?year={YEAR}&centre={world.hangzhou.id}")
    assert soup.select("[data-progress] meter") == []


# --- Who sets the targets ------------------------------------------------------------------------------------------


def test_a_centre_administrator_sets_the_target_of_their_centre_on_the_targets_page(client_for, world):
    admin = CentreStaffFactory(centre=world.ningbo, role="admin").user
    client = client_for(admin)
    soup = page(client, "/indicators/targets/")
    scopes = [option["value"] for option in soup.select("select[name=centre] option")]
    assert str(world.ningbo.id) in scopes and str(world.ningbo_alliance.id) in scopes
    assert "" not in scopes and str(world.hangzhou.id) not in scopes  # not the province's, not another centre's
    form = {"indicator": "turnover", "year": YEAR, "centre": world.ningbo.id, "amount_wan": "800", "note": "甬政发"}
    response = client.post("/indicators/targets/", form)
    assert response.status_code == 302
    target = IndicatorTarget.objects.get(centre=world.ningbo, year=YEAR, indicator="turnover")
    assert target.amount_fen == 800 * 1_000_000 and target.updated_by == admin
    # Setting it again changes it.
    client.post("/indicators/targets/", {**form, "amount_wan": "900.5"})
    assert IndicatorTarget.objects.get(pk=target.pk).amount_fen == 900_500_000
    # Another centre's target is refused, whatever the form is sent with.
    refused = client.post("/indicators/targets/", {**form, "centre": world.hangzhou.id})
    assert refused.status_code == 400
    assert not IndicatorTarget.objects.filter(centre=world.hangzhou).exists()


def test_province_wide_targets_are_the_platforms_and_brokers_set_none(client_for, world):
    client = client_for(world.root_staff)
    response = client.post(
        "/indicators/targets/", {"indicator": "licensing_contracted", "year": YEAR, "centre": "", "amount_wan": "5000"}
    )
    assert response.status_code == 302
    assert IndicatorTarget.objects.get(centre=None, year=YEAR, indicator="licensing_contracted").amount_fen == (
        5000 * 1_000_000
    )
    assert client_for(world.ningbo_broker).get("/indicators/targets/").status_code == 403


def test_the_targets_page_removes_a_target_for_those_who_may(client_for, world):
    target = target_set(indicator=Indicator.TURNOVER, year=YEAR, centre=world.hangzhou, amount_fen=100_000_000)
    ningbo_admin = CentreStaffFactory(centre=world.ningbo, role="admin").user
    assert client_for(ningbo_admin).post("/indicators/targets/", {"remove": target.pk}).status_code == 403
    assert client_for(world.root_staff).post("/indicators/targets/", {"remove": target.pk}).status_code == 302
    assert not IndicatorTarget.objects.filter(pk=target.pk).exists()


def test_staff_who_may_set_targets_find_the_page_from_the_dashboard(client_for, world, deals):
    soup = page(client_for(world.root_staff), f"/indicators/?year={YEAR}")
    assert soup.select_one("a[href='/indicators/targets/']") is not None


# --- Each chart: a table view and a download of exactly its figures --------------------------------------------


def test_every_chart_has_a_table_and_a_download_of_exactly_the_figures_it_draws(client, deals):
    soup = page(client, f"/indicators/?year={YEAR}")
    config = json.loads(soup.select_one("script#indicators-data").get_text())
    charted = {**config["breakdowns"], "quarter": config["trend"]}
    pairs = soup.select(".chart-and-table")
    assert {pair["data-chart"] for pair in pairs} == set(charted)
    for pair in pairs:
        by = pair["data-chart"]
        rows = charted[by]
        assert pair.select_one(f"canvas#chart-{by}") is not None
        table = pair.select_one(f"table#table-{by}")
        table_keys = [tr["data-key"] for tr in table.select("tbody tr[data-key]")]
        assert table_keys == [row["key"] for row in rows], by
        links = {link["data-format"]: link["href"] for link in pair.find_next_sibling(class_="downloads").select("a")}
        assert set(links) == {"csv", "xlsx"}
        body = client.get(links["csv"]).content.decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(body)))[1:-1]  # the header and the total aside
        assert [line[0] for line in lines] == [row["key"] for row in rows], by
        for line, row in zip(lines, rows, strict=True):
            yuan = [f"{row[field] / 100:.2f}" for field in FIELDS]
            assert line[2:6] == yuan and line[6] == str(row["deals"]), (by, row["key"])


def test_the_quarterly_chart_is_a_series_over_the_quarters(client, deals):
    soup = page(client, f"/indicators/?year={YEAR}")
    config = json.loads(soup.select_one("script#indicators-data").get_text())
    assert len(config["trend"]) >= 8  # a line over two years of quarters, not one dot
    assert len(soup.select("#table-quarter tbody tr[data-key]")) == len(config["trend"])


# --- Small cells stay hidden and say why ---------------------------------------------------------------------------


def test_a_hidden_cell_says_why_it_is_empty(client, world, settings):
    settings.INDICATORS_MIN_DEALS = 3
    for _ in range(3):
        completed_deal(world, "licence", total=50_000_000, technology=48_000_000, ipc="A01B 1/00")
    completed_deal(world, "transfer", total=180_000_000, technology=150_000_000, ipc="G06F 16/33")
    soup = page(client, f"/indicators/?year={YEAR}")
    table = soup.select_one("#table-ipc_section")
    lone = table.select_one("tr[data-key=G]")
    assert lone.select_one("[data-field=turnover_fen]").get_text(strip=True) == "—"
    reason = lone.select_one("[data-field=turnover_fen]")["title"]
    assert "3" in reason and ("保护" in reason or "protect" in reason)
    note = soup.select_one(f"#{table['aria-describedby']}")
    assert not note.has_attr("hidden") and reason in note.get_text()
    # The next smallest row is hidden with it, so that G is not the total minus the others; it says so.
    partner = table.select_one("tr[data-reason=complement]")
    assert partner is not None and partner["data-key"] == "A"
    assert partner.select_one("td")["title"] != reason and partner.select_one("th").get_text(strip=True) in (
        note.get_text()
    )
    # The same rows are hidden in the download, and the open API says why.
    api = client.get("/api/v1/indicators/by/ipc_section", {"year": YEAR}).json()
    reasons = {row["key"]: row["suppressed_reason"] for row in api["rows"] if row["suppressed"]}
    assert reasons == {"A": "complement", "G": "few_deals"}


def test_the_centres_staff_see_every_cell_and_no_note(client_for, world, settings):
    settings.INDICATORS_MIN_DEALS = 3
    completed_deal(world, "transfer", total=180_000_000, technology=150_000_000, ipc="G06F 16/33")
    soup = page(client_for(world.root_staff), f"/indicators/?year={YEAR}")
    assert soup.select("tr.suppressed") == []
    assert soup.select_one("#suppressed-note-ipc_section").has_attr("hidden")
