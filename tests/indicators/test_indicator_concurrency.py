"""Exactly once under real concurrency: parallel transactions (each thread has its own connection) booking the
same payment and different payments at the same instant. The unique source key and the rollup's upsert hold."""

import threading

import pytest
from django.db import connections, transaction

from indicators.models import LedgerEntry
from indicators.selectors import Filters, headline, verify
from tests.indicators.conftest import completed_deal, pay

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def test_parallel_bookings_of_one_payment_count_once_and_of_many_payments_all_count(world):
    deal = completed_deal(world, "licence")
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def book(index: int) -> None:
        # Half the threads announce payment 1 (a replayed webhook racing the first), half their own payment.
        payment_id = 1 if index % 2 == 0 else 100 + index
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                pay(deal, payment_id, 1_000_000, "royalty")
        except Exception as error:  # noqa: BLE001 - any failure is a test failure, reported below
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert LedgerEntry.objects.filter(source_key="payment:1:received").count() == 1
    assert LedgerEntry.objects.filter(indicator="licensing_received").count() == 1 + THREADS // 2
    assert headline(Filters()).licensing_received_fen == (1 + THREADS // 2) * 1_000_000
    assert verify().ok
