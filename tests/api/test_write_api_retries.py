"""A system that retries a create at the same instant (its first request timed out, the retry races it) still creates
one demand: the idempotency key's unique row makes the second request wait for the first and answer what it answered.

Real parallel requests: each thread is a client with its own database connection.
"""

import json
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from demands.models import Demand
from marketplace.organisations.models import ApiScope
from marketplace.organisations.services import api_token_create
from tests.api.test_write_api import DEMANDS, demand_body

pytestmark = pytest.mark.django_db(transaction=True)
RETRIES = 4


def test_simultaneous_retries_with_one_idempotency_key_create_one_demand(world):
    cache.clear()
    secret = api_token_create(
        organisation=world.enterprise, actor=world.buyer, name="ERP", scopes=[ApiScope.DEMANDS_WRITE]
    ).secret
    barrier = threading.Barrier(RETRIES)
    answers: list[tuple[int, int | str]] = []
    lock = threading.Lock()

    def send():
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                DEMANDS,
                json.dumps(demand_body()),
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "erp-demand-42"},
            )
            result = (response.status_code, response.json().get("id", response.content.decode()))
        except Exception as error:  # noqa: BLE001 - any failure is a test failure, reported below
            result = (0, f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()
        with lock:
            answers.append(result)

    threads = [threading.Thread(target=send) for _ in range(RETRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Demand.objects.count() == 1, answers
    created = Demand.objects.get()
    assert answers == [(201, created.pk)] * RETRIES
