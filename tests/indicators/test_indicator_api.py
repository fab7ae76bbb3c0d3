"""The figures as another site reads them: /api/v1/indicators, in the same OpenAPI document as the listings."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from tests.factories import OrganisationFactory, signatory_member
from tests.indicators.conftest import completed_deal

pytestmark = pytest.mark.django_db
YEAR = date.today().year
QUARTER = (date.today().month - 1) // 3 + 1
FIGURES = ("turnover_fen", "technology_amount_fen", "licensing_contracted_fen", "licensing_received_fen", "deals")


@pytest.fixture
def alliance_deal(world, deals):
    """A licence of 30万元 hosted by the new-energy alliance, a sub-centre of Ningbo."""
    seller = OrganisationFactory(name="宁波新能源研究院", kind="institute", city="ningbo", centre=world.ningbo_alliance)
    seller_user = signatory_member(seller)
    return completed_deal(
        world, "licence", total=30_000_000, technology=30_000_000, seller=seller, seller_user=seller_user
    )


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def amounts(row: dict) -> tuple:
    return tuple(row[name] for name in FIGURES)


def fen(yuan_text: str) -> int:
    return int(Decimal(yuan_text) * 100)


# --- The same numbers as the dashboard and the exports --------------------------------------------------------------


def test_the_headline_is_the_dashboards(client, deals, targets_this_year):
    data = get(client, f"/api/v1/indicators?year={YEAR}")
    assert data["currency"] == "CNY" and data["unit"] == "fen"
    assert amounts(data["total"]) == (230_000_000, 198_000_000, 50_000_000, 20_000_000, 2)
    soup = BeautifulSoup(client.get(f"/indicators/?year={YEAR}").content, "html.parser")
    assert soup.select_one("[data-figure=turnover_fen]").get_text() == "230万元"
    assert soup.select_one("[data-figure=deals]").get_text() == str(data["total"]["deals"])
    progress = {item["indicator"]: item for item in data["progress"]}
    assert set(progress) == {"turnover", "licensing_contracted"}
    assert progress["turnover"]["actual_fen"] == 230_000_000 and progress["turnover"]["target_fen"] > 0


@pytest.mark.parametrize("by", ["quarter", "month", "city", "centre", "seller_kind", "ipc_section", "mode"])
def test_each_breakdown_has_the_csv_exports_rows_and_total(client, deals, by):
    data = get(client, f"/api/v1/indicators/by/{by}?year={YEAR}")
    export = client.get(f"/indicators/export/?year={YEAR}&by={by}&format=csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    body, total = rows[1:-1], rows[-1]
    assert [row["key"] for row in data["rows"]] == [row[0] for row in body]
    for api_row, csv_row in zip(data["rows"], body, strict=True):
        assert api_row["label"] == csv_row[1]
        assert api_row["turnover_fen"] == fen(csv_row[2]) and api_row["licensing_received_fen"] == fen(csv_row[5])
        assert api_row["deals"] == int(csv_row[6])
    assert data["total"]["turnover_fen"] == fen(total[2]) == 230_000_000
    assert data["by"] == by and data["title"]


def test_the_summary_carries_the_breakdowns_asked_for(client, deals):
    data = get(client, f"/api/v1/indicators?year={YEAR}&by=city&by=mode")
    assert set(data["breakdowns"]) == {"city", "mode"}
    assert len(data["breakdowns"]["city"]) == 11
    assert data["breakdowns"]["mode"] == get(client, f"/api/v1/indicators/by/mode?year={YEAR}")["rows"]
    assert get(client, f"/api/v1/indicators?year={YEAR}")["breakdowns"] == {}


# --- Filters narrow the numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "turnover_fen"),
    [
        (f"year={YEAR}", 230_000_000),
        (f"year={YEAR}&quarter={QUARTER}", 230_000_000),
        (f"year={YEAR}&month={date.today().month}", 230_000_000),
        (f"year={YEAR}&quarter={QUARTER % 4 + 1}", 0),
        (f"year={YEAR - 1}", 0),
        ("", 230_000_000),  # every year
        ("year=&city=", 230_000_000),  # empty means all
        ("mode=licence", 50_000_000),
        ("mode=equity", 0),
        ("ipc_section=G", 180_000_000),
        ("seller_kind=university", 230_000_000),
        ("seller_kind=enterprise", 0),
        ("city=wenzhou", 0),
        (f"year={YEAR}&mode=transfer&ipc_section=G", 180_000_000),
    ],
)
def test_filters_narrow_the_figures(client, deals, query, turnover_fen):
    assert get(client, f"/api/v1/indicators?{query}")["total"]["turnover_fen"] == turnover_fen


def test_the_filters_are_echoed_typed(client, deals, world):
    data = get(client, f"/api/v1/indicators?year={YEAR}&centre={world.ningbo.id}&mode=licence")
    assert data["filters"] == {
        "year": YEAR,
        "quarter": None,
        "month": None,
        "centre": world.ningbo.id,
        "city": None,
        "seller_kind": None,
        "ipc_section": None,
        "mode": "licence",
    }
    assert data["total"]["licensing_received_fen"] == 20_000_000


def test_a_filtered_breakdown_only_counts_what_the_filter_lets_through(client, deals):
    rows = {row["key"]: row for row in get(client, "/api/v1/indicators/by/ipc_section?mode=licence")["rows"]}
    assert rows["H"]["turnover_fen"] == 50_000_000 and rows["G"]["turnover_fen"] == 0


# --- The "1+X" roll-up --------------------------------------------------------------------------------------------


def test_a_sub_centres_figures_add_into_every_centre_above_it(client, world, alliance_deal):
    rows = {row["key"]: row for row in get(client, f"/api/v1/indicators/by/centre?year={YEAR}")["rows"]}
    assert rows[str(world.ningbo_alliance.id)]["turnover_fen"] == 30_000_000
    assert rows[str(world.ningbo.id)]["turnover_fen"] == 260_000_000
    assert rows[str(world.root.id)]["turnover_fen"] == 260_000_000
    assert rows[str(world.hangzhou.id)]["turnover_fen"] == 0
    assert rows[str(world.ningbo_alliance.id)]["depth"] == rows[str(world.ningbo.id)]["depth"] + 1


def test_a_centre_filter_includes_its_sub_centres_and_nothing_else(client, world, alliance_deal):
    assert get(client, f"/api/v1/indicators?centre={world.ningbo.id}")["total"]["turnover_fen"] == 260_000_000
    assert get(client, f"/api/v1/indicators?centre={world.ningbo_alliance.id}")["total"]["turnover_fen"] == 30_000_000
    assert get(client, f"/api/v1/indicators?centre={world.hangzhou.id}")["total"]["turnover_fen"] == 0
    rows = get(client, f"/api/v1/indicators/by/centre?centre={world.ningbo.id}")["rows"]
    assert [(row["key"], row["depth"]) for row in rows] == [
        (str(world.ningbo.id), 0),
        (str(world.ningbo_alliance.id), 1),
    ]


# --- Progress to target -------------------------------------------------------------------------------------------


def test_progress_for_a_year_and_to_the_end_of_a_quarter(client, deals, targets_this_year):
    data = get(client, f"/api/v1/indicators/progress?year={YEAR}")
    turnover = next(item for item in data["progress"] if item["indicator"] == "turnover")
    assert turnover["actual_fen"] == 230_000_000 and turnover["year"] == YEAR
    assert turnover["percent"] == round(230_000_000 * 100 / turnover["target_fen"], 1)
    before = get(client, f"/api/v1/indicators/progress?year={YEAR}&quarter=1")
    earlier = next(item for item in before["progress"] if item["indicator"] == "turnover")
    assert earlier["actual_fen"] == (230_000_000 if QUARTER == 1 else 0)
    # Last year had no target: nothing to measure against (this year's is not carried back, nor 2020's forward).
    assert get(client, f"/api/v1/indicators/progress?year={YEAR - 1}")["progress"] == []


# --- Open data, nothing about single deals --------------------------------------------------------------------------


def test_any_site_may_read_the_figures(client, deals):
    for url in ("/api/v1/indicators", "/api/v1/indicators/by/city", f"/api/v1/indicators/progress?year={YEAR}"):
        assert client.get(url)["Access-Control-Allow-Origin"] == "*"


def test_the_figures_name_no_deal(client, deals):
    licence, transfer = deals
    data = get(client, f"/api/v1/indicators?year={YEAR}&by=centre&by=mode&by=month")
    rows = [data["total"], *(row for rows in data["breakdowns"].values() for row in rows)]
    assert all(set(row) == {"key", "label", "depth", "suppressed", "suppressed_reason", *FIGURES} for row in rows)
    text = json.dumps(data, ensure_ascii=False)
    assert "/deals/" not in text and licence.listing.title not in text and transfer.buyer.name not in text


# --- One OpenAPI document -----------------------------------------------------------------------------------------


def test_the_operations_are_described_beside_the_listings(client):
    document = get(client, "/api/v1/openapi.json")
    paths = document["paths"]
    assert {"/api/v1/listings", "/api/v1/indicators", "/api/v1/indicators/by/{dimension}"} <= set(paths)
    assert "/api/v1/indicators/progress" in paths
    summary = paths["/api/v1/indicators"]["get"]
    parameters = {p["name"] for p in summary["parameters"]}
    assert {"year", "quarter", "month", "centre", "city", "seller_kind", "ipc_section", "mode", "by"} <= parameters
    assert summary["tags"] == ["indicators"]
    breakdown = paths["/api/v1/indicators/by/{dimension}"]["get"]["parameters"]
    dimension = next(p for p in breakdown if p["name"] == "dimension")
    assert set(dimension["schema"]["enum"]) == {
        "year", "quarter", "month", "city", "centre", "seller_kind", "ipc_section", "mode"
    }  # fmt: skip
    row = document["components"]["schemas"]["FigureRowOut"]["properties"]
    assert "fen" in row["turnover_fen"]["description"]


# --- Malformed parameters: a 4xx with a reason, never a 5xx --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/indicators?quarter=5&year=2026", "quarter"),
        ("/api/v1/indicators?year=abc", "year"),
        ("/api/v1/indicators?year=1850", "year"),
        ("/api/v1/indicators?month=13&year=2026", "month"),
        ("/api/v1/indicators?quarter=2", "request"),  # a quarter needs a year
        ("/api/v1/indicators?year=2026&quarter=1&month=7", "request"),
        ("/api/v1/indicators?city=shanghai", "city"),
        ("/api/v1/indicators?seller_kind=person", "seller_kind"),
        ("/api/v1/indicators?ipc_section=Z", "ipc_section"),
        ("/api/v1/indicators?mode=lease", "mode"),
        ("/api/v1/indicators?by=colour", "by"),
        ("/api/v1/indicators?centre=999999", "centre"),
        ("/api/v1/indicators?centre=ningbo", "centre"),
        ("/api/v1/indicators?yaer=2026", "yaer"),
        ("/api/v1/indicators/by/colour", "dimension"),
        ("/api/v1/indicators/by/city?by=mode", "by"),
        ("/api/v1/indicators/progress", "year"),
        ("/api/v1/indicators/progress?year=2026&quarter=0", "quarter"),
        ("/api/v1/indicators/progress?year=2026&month=3", "month"),
    ],
)
def test_malformed_parameters_get_a_4xx_naming_them_with_a_reason(client, world, url, parameter):
    response = client.get(url)
    assert 400 <= response.status_code < 500, response.content[:500]
    errors = response.json()["errors"]
    assert parameter in [error["parameter"] for error in errors], errors
    assert all(error["reason"] for error in errors)


# --- The old address and the dashboard ------------------------------------------------------------------------------


def test_the_old_json_address_sends_clients_to_the_open_api(client, deals, world):
    response = client.get(f"/indicators/api/?year={YEAR}&by=city,centre&mode=licence")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/indicators?year={YEAR}&by=city&by=centre&mode=licence"
    data = get(client, response["Location"])
    assert set(data["breakdowns"]) == {"city", "centre"} and data["total"]["turnover_fen"] == 50_000_000
    assert client.get("/indicators/api/")["Location"] == "/api/v1/indicators"


def test_the_dashboard_refreshes_from_the_open_api(client, deals, targets_this_year):
    soup = BeautifulSoup(client.get(f"/indicators/?year={YEAR}").content, "html.parser")
    config = json.loads(soup.select_one("script#indicators-data").get_text())
    assert config["api"] == "/api/v1/indicators"
    assert soup.select_one(f"a[href='/api/v1/indicators?{config['query']}']") is not None
    # What the dashboard's script asks for when a deal completes: the breakdowns it shows, and the trend.
    groupings = "&".join(f"by={by}" for by in config["breakdowns"])
    current = get(client, f"{config['api']}?{config['query']}&{groupings}")
    assert current["breakdowns"] == config["breakdowns"]
    assert current["total"]["turnover_fen"] == 230_000_000 and current["progress"]
    history = get(client, f"{config['api']}?{config['trendQuery']}&by=quarter")
    assert history["breakdowns"]["quarter"] == config["trend"]
