"""Demands leave the site after their deadline, by the daily task on the runner; running it again changes nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from demands.models import Demand, DemandStatus
from demands.services import demands_expire
from demands.tasks import expire_demands
from tests.demands.conftest import draft_of, published_of

pytestmark = pytest.mark.django_db


def test_the_expiry_task_is_scheduled_daily():
    assert "demands.tasks.expire_demands" in settings.PERIODIC_TASKS


def test_demands_expire_the_day_after_their_deadline_and_only_once(world, client):
    today = timezone.localdate()
    demand = published_of(world, deadline=today + timedelta(days=10))
    draft = draft_of(world, deadline=today + timedelta(days=3))
    later = published_of(world, deadline=today + timedelta(days=30))

    assert demands_expire(today=today + timedelta(days=3)) == []  # the deadline day is still open
    assert demands_expire(today=today + timedelta(days=4)) == [draft.pk]
    assert demands_expire(today=today + timedelta(days=11)) == [demand.pk]
    assert demands_expire(today=today + timedelta(days=11)) == []  # idempotent
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.EXPIRED
    assert Demand.objects.get(pk=later.pk).status == DemandStatus.PUBLISHED
    assert demand.events.filter(to_status="expired").count() == 1
    event = demand.events.get(to_status="expired")
    assert event.actor is None
    assert client.get(f"/demands/{demand.pk}/").status_code == 404


def test_the_task_runs_on_the_runner(world):
    demand = published_of(world, deadline=timezone.localdate() + timedelta(days=1))
    Demand.objects.filter(pk=demand.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    result = expire_demands.enqueue()
    assert result.return_value == 1
    assert expire_demands.enqueue().return_value == 0
