"""A clock for the demo's history: the demo deals went through the platform's services months and years ago.

The services stamp every step with `django.utils.timezone.now()` (auto_now_add, the deal's completion, a payment's
day of receipt), and the indicators ledger books a completion on the local day of `deal.completed_at` and a payment
on its day of receipt. So the only way to put a deal in the past *and* keep the ledger consistent with it (as
`indicators_verify` and the dashboard's periods expect) is to run each step while `timezone.now()` says when it
happened. Django's own helpers (localtime, localdate) and model fields look the function up on the module at each
call, so replacing the module attribute is enough; the clock ticks on from the moment set, so steps taken inside one
`demo_clock` still come in order.

Only for seeding, in one thread: nothing else may run while the clock is turned back.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone


@contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    """Run the block as if it were `moment` (an aware datetime) plus the real time spent in the block."""
    if timezone.is_naive(moment):
        raise ValueError("The demo clock needs an aware datetime.")
    real_now = timezone.now
    started = time.monotonic()

    def demo_now() -> datetime:
        return moment + timedelta(seconds=time.monotonic() - started)

    timezone.now = demo_now
    try:
        yield
    finally:
        timezone.now = real_now
