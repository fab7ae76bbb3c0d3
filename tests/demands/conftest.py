"""Demands in the small "1+X" world of tests/conftest.py: the enterprise (registered with the alliance, below
Ningbo) posts; the alliance's and Ningbo's brokers and root staff may moderate; Hangzhou's broker may not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demands.models import DemandStatus
from demands.services import demand_create, demand_set_status


def demand_fields(**changes) -> dict:
    """What a firm types into the form, as the service takes it."""
    fields = {
        "title": "寻求低成本高镍正极材料包覆技术",
        "description": (
            "我司生产动力电池，高镍正极循环寿命不足，希望找到可量产的包覆改性技术，循环1000次容量保持率90%以上。"
        ),
        "field": "H",
        "ipc_codes": "H01M; H01M 4/525",
        "deal_kinds": ["licence", "joint_development"],
        "budget_min_fen": 50_000_000,
        "budget_max_fen": 200_000_000,
        "city": "ningbo",
        "deadline": timezone.localdate() + timedelta(days=60),
        "contact_policy": "open",
    }
    fields.update(changes)
    return fields


def form_data(**changes) -> dict:
    """The same demand as the workspace form posts it (amounts in yuan)."""
    fields = demand_fields(**changes)
    data = {
        **fields,
        "deadline": fields["deadline"].isoformat() if fields["deadline"] else "",
        "budget_min_fen": "" if fields["budget_min_fen"] is None else str(fields["budget_min_fen"] // 100),
        "budget_max_fen": "" if fields["budget_max_fen"] is None else str(fields["budget_max_fen"] // 100),
    }
    return data


def draft_of(world, **changes):
    return demand_create(actor=world.buyer, organisation=world.enterprise, **demand_fields(**changes))


def published_of(world, **changes):
    demand = draft_of(world, **changes)
    demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=world.buyer)
    return demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=world.ningbo_broker)


@pytest.fixture
def draft(world):
    return draft_of(world, title="机密需求草稿QX3")


@pytest.fixture
def published(world):
    return published_of(world, title="公开需求：电池正极包覆技术")
