"""Figures by period and dimension, the same from the rollup as from the ledger, and progress to target."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import PLAN_TARGETS, Indicator, IndicatorTarget
from indicators.selectors import GROUPINGS, Filters, figures, headline, progress, target_for, trend
from indicators.services import target_set
from tests.factories import OrganisationFactory, signatory_member
from tests.indicators.conftest import cancel, completed_deal, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(world):
    """A licence of 宁波大学 (a university in Hangzhou by the factory's default, hosted by Ningbo, field H), a
    transfer of an institute in Wenzhou hosted by Hangzhou (field G), and a royalty received on the licence."""
    institute = OrganisationFactory(name="温州研究院", kind="institute", city="wenzhou", centre=world.hangzhou)
    institute_user = signatory_member(institute)
    licence = completed_deal(world, "licence", total=50_000_000, technology=48_000_000)
    transfer = completed_deal(
        world,
        "transfer",
        total=200_000_000,
        technology=150_000_000,
        ipc="G06F 16/33",
        seller=institute,
        seller_user=institute_user,
    )
    pay(licence, 1, 3_000_000, "royalty")
    return {"licence": licence, "transfer": transfer, "institute": institute}


def by_key(rows) -> dict[str, tuple[int, int, int, int]]:
    return {
        row.key: (row.turnover_fen, row.licensing_contracted_fen, row.licensing_received_fen, row.deals)
        for row in rows
        if row.turnover_fen or row.licensing_received_fen
    }


def test_breakdowns_by_city_seller_type_field_and_mode(world, market):
    assert by_key(figures(Filters(), "city")) == {
        "hangzhou": (50_000_000, 50_000_000, 3_000_000, 1),
        "wenzhou": (200_000_000, 0, 0, 1),
    }
    assert by_key(figures(Filters(), "seller_kind")) == {
        "university": (50_000_000, 50_000_000, 3_000_000, 1),
        "institute": (200_000_000, 0, 0, 1),
    }
    assert by_key(figures(Filters(), "ipc_section")) == {
        "H": (50_000_000, 50_000_000, 3_000_000, 1),
        "G": (200_000_000, 0, 0, 1),
    }
    assert by_key(figures(Filters(), "mode")) == {
        "licence": (50_000_000, 50_000_000, 3_000_000, 1),
        "transfer": (200_000_000, 0, 0, 1),
    }
    # Every city, main seller type, field and mode has a row, with zeros where nothing was booked.
    assert len(figures(Filters(), "city")) == 11
    assert [row.key for row in figures(Filters(), "seller_kind")] == ["university", "institute", "enterprise"]
    assert [row.key for row in figures(Filters(), "ipc_section")] == list("ABCDEFGH")


def test_filters_slice_the_figures(world, market):
    assert headline(Filters(city="wenzhou")).turnover_fen == 200_000_000
    assert headline(Filters(seller_kind="university")).turnover_fen == 50_000_000
    assert headline(Filters(ipc_section="G", mode="transfer")).turnover_fen == 200_000_000
    assert headline(Filters(ipc_section="G", mode="licence")).turnover_fen == 0
    assert headline(Filters(centre_id=world.hangzhou.id)).turnover_fen == 200_000_000
    assert by_key(figures(Filters(city="wenzhou"), "seller_kind")) == {"institute": (200_000_000, 0, 0, 1)}
    assert by_key(figures(Filters(centre_id=world.ningbo.id), "ipc_section")) == {
        "H": (50_000_000, 50_000_000, 3_000_000, 1)
    }
    this_year = date.today().year
    assert headline(Filters(year=this_year)).turnover_fen == 250_000_000
    assert headline(Filters(year=this_year - 1)).turnover_fen == 0


def test_the_rollup_and_the_ledger_give_the_same_figures_for_every_grouping(world, market):
    cancel(world, market["licence"])
    for filters in (Filters(), Filters(year=date.today().year), Filters(centre_id=world.ningbo.id)):
        for by in GROUPINGS:
            assert figures(filters, by) == figures(filters, by, from_ledger=True), (filters, by)


def test_the_trend_runs_over_every_quarter_whatever_the_period_chosen(world, market):
    today = date.today()
    rows = trend(Filters(year=today.year, quarter=1))
    assert [row.key for row in rows] == [f"{today.year}-Q{(today.month - 1) // 3 + 1}"]
    assert rows[0].turnover_fen == 250_000_000


def test_progress_is_measured_against_the_plans_targets_by_default(market):
    assert target_for(Indicator.TURNOVER, 2020) == (PLAN_TARGETS[(Indicator.TURNOVER, 2020)], 2020)
    assert target_for(Indicator.TURNOVER, 2019) is None
    # A target applies until a later one is set.
    year = date.today().year
    items = {item.indicator: item for item in progress(year)}
    assert set(items) == {"turnover", "licensing_contracted"}
    turnover = items["turnover"]
    assert (turnover.target_fen, turnover.target_year) == (2_200_000_000_000, 2020)
    assert turnover.actual_fen == 250_000_000
    assert turnover.percent == Decimal("0.0")  # 250万 of 220亿
    assert items["licensing_contracted"].target_fen == 50_000_000_000


def test_a_configured_target_overrides_the_default_and_shows_as_a_percentage(world, market):
    year = date.today().year
    target_set(indicator=Indicator.TURNOVER, year=year, amount_fen=1_000_000_000, actor=world.root_staff)
    target_set(indicator=Indicator.LICENSING_RECEIVED, year=year, amount_fen=12_000_000)
    target_set(indicator=Indicator.TURNOVER, year=year, amount_fen=500_000_000)  # changed later the same year
    items = {item.indicator: item for item in progress(year)}
    assert (items["turnover"].target_fen, items["turnover"].target_year) == (500_000_000, year)
    assert items["turnover"].percent == Decimal("50.0")
    assert items["licensing_received"].percent == Decimal("25.0")
    assert IndicatorTarget.objects.filter(indicator="turnover", year=year).count() == 1
