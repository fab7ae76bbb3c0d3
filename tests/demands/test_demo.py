"""The demo's technology demands: a dozen, from verified demo firms, through the services; seeding twice adds
nothing."""

import pytest
from django.core.management import call_command

from demands.models import Demand, DemandEvent
from portal.demo.demands import DEMO_DEMANDS

pytestmark = pytest.mark.django_db


def snapshot():
    return list(
        Demand.objects.order_by("organisation__name", "title").values_list(
            "organisation__name", "title", "status", "field", "city", "budget_min_fen", "budget_max_fen"
        )
    )


def test_seed_demo_posts_a_dozen_demands_once(client):
    call_command("seed_demo", "--listings", "0")
    first = snapshot()
    events = DemandEvent.objects.count()
    call_command("seed_demo", "--listings", "0")
    assert snapshot() == first and DemandEvent.objects.count() == events
    assert len(first) == len(DEMO_DEMANDS) >= 12
    statuses = [row[2] for row in first]
    assert statuses.count("published") >= 9 and "submitted" in statuses and "draft" in statuses
    assert all(demand.organisation.verified for demand in Demand.objects.select_related("organisation"))
    returned = Demand.objects.exclude(moderation_note="").get()
    assert returned.status == "draft" and returned.events.filter(note=returned.moderation_note).exists()
    # The firm with demo people wrote its own; the public list shows the published ones.
    assert Demand.objects.filter(created_by__email="buyer@demo.ipx.cn").count() == 2
    assert client.get("/api/v1/demands").json()["total"] == statuses.count("published")
