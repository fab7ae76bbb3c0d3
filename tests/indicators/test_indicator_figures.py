"""Figures by period and dimension, the same from the rollup as from the ledger, and progress to target."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import PLAN_TARGETS, Indicator, IndicatorTarget
from indicators.selectors import GROUPINGS, Filters, figures, headline, progress, target_for, target_history, trend
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


def test_the_trend_is_a_series_of_quarters_up_to_now_even_when_every_deal_fell_in_one(world, market):
    """All the deals of a young platform fall in one quarter: the trend still runs over eight quarters (zeros
    before), so the chart draws a line, not a single dot, whatever period the filters name."""
    today = date.today()
    current = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    rows = trend(Filters(year=today.year, quarter=1))
    assert len(rows) == 8 and rows[-1].key == current
    assert [row.turnover_fen for row in rows] == [0] * 7 + [250_000_000]
    assert rows[0].key < rows[1].key < rows[-1].key and all(row.label for row in rows)
    # A year's own quarters are only that year's.
    assert {row.key[:4] for row in figures(Filters(year=today.year), "quarter")} == {str(today.year)}


def test_progress_is_measured_against_the_target_of_the_same_year_only(market):
    # The plan's 2020 targets are 2020's ...
    assert target_for(Indicator.TURNOVER, 2020) == (PLAN_TARGETS[(Indicator.TURNOVER, 2020)], 2020)
    assert target_for(Indicator.TURNOVER, 2019) is None
    # ... and not this year's: a year without a target of its own has none.
    year = date.today().year
    items = {item.indicator: item for item in progress(year)}
    assert set(items) == {"turnover", "licensing_contracted", "licensing_received"}
    assert all(not item.has_target and item.percent is None for item in items.values())
    assert items["turnover"].actual_fen == 250_000_000
    assert target_for(Indicator.TURNOVER, year) is None


def test_the_targets_of_each_year_measure_that_year(world, market):
    year = date.today().year
    target_set(indicator=Indicator.TURNOVER, year=year - 1, amount_fen=100_000_000)
    target_set(indicator=Indicator.TURNOVER, year=year, amount_fen=1_000_000_000)
    target_set(indicator=Indicator.TURNOVER, year=year + 1, amount_fen=5_000_000_000)
    assert target_for(Indicator.TURNOVER, year) == (1_000_000_000, year)
    turnover = next(item for item in progress(year) if item.indicator == "turnover")
    assert (turnover.target_fen, turnover.target_year, turnover.percent) == (1_000_000_000, year, Decimal("25.0"))
    last_year = next(item for item in progress(year - 1) if item.indicator == "turnover")
    assert (last_year.actual_fen, last_year.target_fen, last_year.percent) == (0, 100_000_000, Decimal("0.0"))
    # The other years are the history shown beside this one's progress, the plan's 2020 targets among them.
    history = [(record.year, record.indicator) for record in target_history(except_year=year)]
    assert (year - 1, "turnover") in history and (year + 1, "turnover") in history and (2020, "turnover") in history
    assert (year, "turnover") not in history


def test_a_centre_is_measured_against_its_own_target(world, market):
    year = date.today().year
    target_set(indicator=Indicator.TURNOVER, year=year, amount_fen=10_000_000_000)  # the province's
    target_set(indicator=Indicator.TURNOVER, year=year, centre=world.ningbo, amount_fen=500_000_000)
    ningbo = next(item for item in progress(year, centre_id=world.ningbo.id) if item.indicator == "turnover")
    assert ningbo.target_fen == 500_000_000 and ningbo.centre_id == world.ningbo.id
    assert ningbo.actual_fen == headline(Filters(year=year, centre_id=world.ningbo.id)).turnover_fen
    hangzhou = next(item for item in progress(year, centre_id=world.hangzhou.id) if item.indicator == "turnover")
    assert not hangzhou.has_target  # the province's target is not Hangzhou's
    province = next(item for item in progress(year) if item.indicator == "turnover")
    assert province.target_fen == 10_000_000_000


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
