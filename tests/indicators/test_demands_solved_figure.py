"""The "demands solved" figure of the indicators dashboard: a firm closes its published demand as solved, and the
dashboard counts it for the period and for the hosting centre and every centre above it, once."""

import re

import pytest
from django.utils import timezone

from demands.models import DemandStatus
from demands.services import demand_set_status
from indicators.models import SolvedDemand
from indicators.selectors import Filters, demands_solved
from indicators.services import solved_demand_book
from tests.demands.conftest import draft_of, published_of

pytestmark = pytest.mark.django_db


def solved_cell(html: str, centre_id: int) -> str:
    table = html[html.index('id="table-demands-solved"') :]
    row = re.search(rf'<tr data-key="{centre_id}"><th[^>]*>[^<]*</th><td[^>]*data-field="solved">(\d+)<', table)
    return row.group(1) if row else ""


def test_a_demand_closed_as_solved_counts_on_the_dashboard_for_its_centre_and_those_above(world, client):
    demand = published_of(world, title="已解决的需求")
    demand_set_status(demand=demand, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="solved")
    year = timezone.localdate().year

    html = client.get(f"/indicators/?year={year}").content.decode()  # the public dashboard
    assert 'data-figure="demands_solved">1<' in html
    # Hosted by the alliance, below Ningbo, below the provincial centre: it counts for all three, not Hangzhou.
    assert solved_cell(html, world.ningbo_alliance.pk) == "1"
    assert solved_cell(html, world.ningbo.pk) == "1"
    assert solved_cell(html, world.root.pk) == "1"
    assert solved_cell(html, world.hangzhou.pk) == "0"

    hangzhou = client.get(f"/indicators/?year={year}&centre={world.hangzhou.pk}").content.decode()
    assert 'data-figure="demands_solved">0<' in hangzhou
    assert demands_solved(Filters(year=year - 1)).total == 0  # counted in the period it was solved


def test_a_solved_demand_is_counted_once_and_withdrawn_or_unpublished_ones_not_at_all(world):
    solved = published_of(world, title="已解决")
    demand_set_status(demand=solved, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="solved")
    solved_demand_book(demand_id=solved.pk, centre=world.ningbo_alliance, solved_on=timezone.localdate())
    withdrawn = published_of(world, title="撤回的需求")
    demand_set_status(demand=withdrawn, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="withdrawn")
    never_published = draft_of(world, title="从未发布")
    demand_set_status(demand=never_published, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="solved")
    assert list(SolvedDemand.objects.values_list("demand_id", flat=True)) == [solved.pk]
    assert demands_solved(Filters()).total == 1
