"""Payments made before attempts existed migrate forward: numbered in order, the duplicate charge of the old
double-submit bug kept as surplus to refund, and at most one attempt left open per instalment."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("payments", "0001_initial")]
AFTER = [("payments", "0002_attempts_surplus_saved_cards")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    """Later migrations exist (payments 0003, and the auctions app that depends on it, unapplied when payments went
    back): the tests that run after this one need every app's schema whole."""
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def test_old_payments_are_numbered_and_a_duplicate_charge_becomes_surplus(world, signed_deal):
    instalment_id = signed_deal.instalments.get(kind="upfront").pk
    old = migrate(BEFORE)
    Payment = old.get_model("payments", "Payment")
    common = {
        "instalment_id": instalment_id,
        "method": "card",
        "amount_fen": 50_000_000,
        "created_by_id": world.buyer.pk,
    }
    paid = Payment.objects.create(status="succeeded", gateway_reference="pi_paid", **common)
    duplicate = Payment.objects.create(
        status="pending",
        gateway_reference="pi_duplicate",
        failure_message="duplicate: instalment already paid",
        **common,
    )
    left_open = Payment.objects.create(status="pending", **common)
    old.get_model("payments", "Instalment").objects.filter(pk=instalment_id).update(status="paid")

    new = migrate(AFTER)
    Payment = new.get_model("payments", "Payment")
    rows = {p.pk: p for p in Payment.objects.filter(instalment_id=instalment_id)}
    assert [rows[p.pk].attempt for p in (paid, duplicate, left_open)] == [1, 2, 3]
    assert rows[paid.pk].status == "succeeded" and rows[paid.pk].surplus_fen == 0
    assert (rows[duplicate.pk].status, rows[duplicate.pk].surplus_fen) == ("surplus", 50_000_000)
    assert rows[left_open.pk].status == "failed"  # reconciliation asks the gateway about it
