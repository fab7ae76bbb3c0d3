"""What visitors and centre staff see: the dashboard, the exports, the report, the drill-down.

The figures as JSON are tested from a client's side in test_indicator_api."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from indicators.selectors import Filters, headline

pytestmark = pytest.mark.django_db
YEAR = date.today().year


def page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


# --- The dashboard ------------------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_headline_progress_trend_and_breakdowns(client, deals, targets_this_year):
    soup = page(client, "/indicators/")
    assert soup.select_one("[data-figure=turnover_fen]").get_text() == "230万元"
    assert soup.select_one("[data-figure=licensing_contracted_fen]").get_text() == "50万元"
    assert soup.select_one("[data-figure=licensing_received_fen]").get_text() == "20万元"
    assert soup.select_one("[data-figure=deals]").get_text() == "2"
    with_meter = {item["data-progress"] for item in soup.select("[data-progress]") if item.select_one("meter")}
    assert with_meter == {"turnover", "licensing_contracted"}
    assert "licensing_received" in {item["data-progress"] for item in soup.select("[data-progress].no-target")}
    tables = {table["data-by"] for table in soup.select("table.figures-table")}
    assert tables == {"quarter", "city", "centre", "seller_kind", "ipc_section", "mode"}
    field_h = soup.select_one("#table-ipc_section tr[data-key=H] [data-field=turnover_fen]").get_text()
    assert field_h == "50.00"  # 万元


def test_every_chart_has_its_data_table_beside_it(client, deals):
    soup = page(client, "/indicators/")
    canvases = soup.select("canvas")
    assert len(canvases) == 6
    for canvas in canvases:
        pair = canvas.find_parent(class_="chart-and-table")
        assert pair is not None and pair.select_one("table caption") is not None, canvas["id"]
        assert canvas.get("role") == "img" and canvas.get("aria-label")


def test_the_dashboard_loads_no_script_from_another_host_and_chart_js_from_our_static_files(client, deals):
    soup = page(client, "/indicators/")
    sources = [script["src"] for script in soup.select("script[src]")]
    assert "/static/vendor/chart.js/chart.umd.js" in sources
    assert "/static/js/indicators-dashboard.js" in sources
    assert all(source.startswith("/static/") for source in sources), sources
    for source in ("/static/vendor/chart.js/chart.umd.js", "/static/js/indicators-dashboard.js"):
        assert client.get(source).status_code == 200
    data = soup.select_one("script#indicators-data")
    assert data["type"] == "application/json" and "/ws/indicators/" in data.get_text()


def test_the_navigation_links_the_dashboard(client, world):
    soup = page(client, "/")
    assert soup.select_one("nav a[href='/indicators/']") is not None


def test_the_dashboard_filters_by_period_and_centre(client, deals, world):
    quarter = (date.today().month - 1) // 3 + 1
    soup = page(client, f"/indicators/?year={YEAR}&quarter={quarter}&centre={world.ningbo.id}")
    assert soup.select_one("[data-figure=turnover_fen]").get_text() == "230万元"
    soup = page(client, f"/indicators/?year={YEAR - 1}")
    assert soup.select_one("[data-figure=turnover_fen]").get_text() == "0元"
    soup = page(client, f"/indicators/?year={YEAR}&centre={world.hangzhou.id}")
    assert soup.select_one("[data-figure=turnover_fen]").get_text() == "0元"
    soup = page(client, "/indicators/?year=")  # every year
    assert soup.select_one("[data-figure=turnover_fen]").get_text() == "230万元"


def test_bad_filters_are_explained(client, world):
    soup = page(client, "/indicators/?year=2026&month=2&quarter=3", status=400)
    assert soup.select_one("[role=alert]") is not None
    page(client, "/indicators/?year=abc", status=400)


# --- Exports ---------------------------------------------------------------------------------------------------------


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def fen(yuan_text) -> int:
    return int(Decimal(str(yuan_text)) * 100)


def test_the_csv_download_has_the_dashboards_totals(client, deals):
    response = client.get(f"/indicators/export/?year={YEAR}&by=city&format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="indicators-{YEAR}-city.csv"'
    rows = csv_rows(response.content)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(header) == 7 and len(body) == 11
    expected = headline(Filters(year=YEAR))
    assert sum(fen(row[2]) for row in body) == fen(total[2]) == expected.turnover_fen == 230_000_000
    assert sum(fen(row[3]) for row in body) == fen(total[3]) == expected.technology_amount_fen
    assert sum(fen(row[4]) for row in body) == fen(total[4]) == expected.licensing_contracted_fen
    assert sum(fen(row[5]) for row in body) == fen(total[5]) == expected.licensing_received_fen


def test_the_xlsx_download_has_the_dashboards_totals(client, deals):
    response = client.get(f"/indicators/export/?year={YEAR}&by=seller_kind&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    body, total = values[1:-1], values[-1]
    expected = headline(Filters(year=YEAR))
    assert sum(fen(row[2]) for row in body) == fen(total[2]) == expected.turnover_fen
    assert sum(fen(row[5]) for row in body) == fen(total[5]) == expected.licensing_received_fen


def test_the_download_button_sends_the_current_filters(client, deals, world):
    soup = page(client, f"/indicators/?year={YEAR}&centre={world.hangzhou.id}")
    form = soup.select_one("form.download-form")
    params = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert params == {"year": str(YEAR), "centre": str(world.hangzhou.id)}
    assert {button["value"] for button in form.select("button[name=format]")} == {"csv", "xlsx"}
    response = client.get(form["action"], {**params, "by": "ipc_section", "format": "csv"})
    assert response.status_code == 200
    assert fen(csv_rows(response.content)[-1][2]) == 0
    response = client.get(form["action"], {"year": YEAR, "mode": "licence", "by": "ipc_section", "format": "xlsx"})
    values = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert fen(values[-1][2]) == 50_000_000  # the exports also slice by any dimension


def test_a_bad_export_request_gets_a_reason(client, world):
    response = client.get("/indicators/export/?format=pdf")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "format"


def test_the_quarterly_report_is_printable(client, deals):
    quarter = (date.today().month - 1) // 3 + 1
    soup = page(client, f"/indicators/report/?year={YEAR}&quarter={quarter}")
    assert soup.select_one("[data-action=print]") is not None
    assert len(soup.select("table.figures-table")) == 6
    assert "230.00" in soup.get_text()  # 万元, the quarter's and the year-to-date turnover
    page(client, "/indicators/report/?year=2026&quarter=5", status=400)


# --- The deals behind a figure ------------------------------------------------------------------------------------


def test_the_hosting_centres_staff_drill_down_to_the_deals(client_for, deals, world):
    licence, transfer = deals
    client = client_for(world.ningbo_broker)
    soup = page(client, f"/indicators/deals/?year={YEAR}&centre={world.ningbo.id}&indicator=turnover")
    links = {link["href"] for link in soup.select("table.ledger-table a")}
    assert links == {f"/deals/{licence.pk}/", f"/deals/{transfer.pk}/"}
    # Staff of a centre above see it too.
    page(client_for(world.root_staff), f"/indicators/deals/?centre={world.ningbo.id}")


def test_the_drill_down_is_refused_to_anyone_else(client, client_for, deals, world):
    url = f"/indicators/deals/?centre={world.ningbo.id}"
    assert client.get(url).status_code == 302  # to the login page
    assert client_for(world.hangzhou_broker).get(url).status_code == 403
    assert client_for(world.seller).get(url).status_code == 403
    assert client_for(world.stranger).get("/indicators/deals/").status_code == 403
    # Without a centre, another centre's staff see only what their own centres host: nothing here.
    soup = page(client_for(world.hangzhou_broker), "/indicators/deals/")
    assert soup.select("table.ledger-table") == []


def test_the_dashboard_links_figures_to_their_deals_only_for_the_staff_who_may_see_them(client_for, deals, world):
    ningbo_row = f"#table-centre tr[data-key='{world.ningbo.id}'] a"
    soup = page(client_for(world.ningbo_broker), f"/indicators/?year={YEAR}")
    assert soup.select_one(ningbo_row) is not None
    assert soup.select_one(f"#table-centre tr[data-key='{world.hangzhou.id}'] a") is None
    assert soup.select_one("#staff-title") is not None
    soup = page(client_for(world.hangzhou_broker), f"/indicators/?year={YEAR}")
    assert soup.select_one(ningbo_row) is None
    soup = page(client_for(world.buyer), f"/indicators/?year={YEAR}")
    assert soup.select("table.figures-table a") == [] and soup.select_one("#staff-title") is None
