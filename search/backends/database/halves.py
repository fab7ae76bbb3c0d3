"""Reading the two halves of search_entry_keys on PostgreSQL (migration 0007) at once, on two connections:
PostgreSQL plans no parallel scan for a search's bitmap heap scans, so two connections do it, one core each."""

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from django.db import connection

HALVES = ("search_entry_keys_p0", "search_entry_keys_p1")
# How long a half waits for an idle pooled connection before its search reads it itself.
POOL_WAIT_SECONDS = 0.005


def read_halves[T](read: Callable[[Any, str], T]) -> list[T]:
    """`read(cursor, half)` for each of HALVES, in that order: the others on pooled connections of their own, in
    threads, while this one reads the first. One after another here inside a transaction (which other connections
    could not see into), without a pool, or when the pool has no idle connection: then reading at once would only
    take cores from other searches."""
    pool = getattr(connection, "pool", None)
    beside = []
    if pool is not None and not connection.in_atomic_block:
        beside = [_ReadBeside(pool, read, half) for half in HALVES[1:]]
    with connection.cursor() as cursor:
        results = [read(cursor, HALVES[0])]
        for position, half in enumerate(HALVES[1:]):
            read_beside = beside[position].result() if beside else None
            results.append(read_beside[0] if read_beside else read(cursor, half))
    return results


class _ReadBeside[T](threading.Thread):
    """`read(cursor, half)` on an idle pooled connection, in a thread of its own (started at once)."""

    def __init__(self, pool, read: Callable[[Any, str], T], half: str) -> None:
        super().__init__(name=f"search-{half}", daemon=True)
        self._pool, self._read, self._half = pool, read, half
        self._result: tuple[T] | None = None
        self.start()

    def run(self) -> None:
        # A half that finds no idle connection (PoolTimeout, a psycopg.Error), or fails, is read by its search, which
        # raises the error, if it is one, as Django raises database errors.
        with (
            contextlib.suppress(psycopg.Error),
            self._pool.connection(timeout=POOL_WAIT_SECONDS) as side,
            side.cursor() as cursor,
        ):
            self._result = (self._read(cursor, self._half),)

    def result(self) -> tuple[T] | None:
        """(what `read` returned,), or None if the half is still to be read."""
        self.join()
        return self._result
