"""Background tasks of auctions, run by the task runner. Each is idempotent."""

import logging

from django.tasks import task
from django.utils import timezone

from auctions.models import AuctionRound, RoundStatus

logger = logging.getLogger(__name__)


@task
def close_ended_rounds() -> int:
    """Periodic: record the outcome of every round whose bidding ended, then return any deposit of an ended round
    still held that should not be (a refund the gateway had not answered, a card confirmed after the end);
    returns how many rounds it closed."""
    from auctions.services import deposit_refund_due, deposits_to_return, round_close

    closed = 0
    for round_ in AuctionRound.objects.filter(status=RoundStatus.OPEN, ends_at__lte=timezone.now()).order_by("pk"):
        if round_close(round_=round_).status != RoundStatus.OPEN:
            closed += 1
    for deposit_id in deposits_to_return():
        try:
            deposit_refund_due(deposit_id=deposit_id)
        except Exception:  # one deposit's trouble (a gateway error) must not stop the others; logged, retried next run
            logger.exception("Returning deposit %s failed; the next run tries again", deposit_id)
    return closed


@task
def refund_deposit(*, deposit_id: int) -> str:
    from auctions.services import deposit_refund_due

    return deposit_refund_due(deposit_id=deposit_id).status
