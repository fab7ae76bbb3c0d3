"""Reads of the search app's own bookkeeping (searches themselves go through `search.get_search_backend()`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from search.models import IndexOutbox


@dataclass(frozen=True)
class OutboxBacklog:
    waiting: int  # listings whose index entry is behind
    failing: int  # of which the last attempt failed
    oldest_age: timedelta | None  # since the oldest change still waiting was made; None when nothing waits


def index_outbox_backlog() -> OutboxBacklog:
    """How far behind the index is: a few entries for a few seconds is normal; a growing count or age means the
    task runner is down or the search engine refuses writes (see `last_error` in the admin)."""
    summary = IndexOutbox.objects.aggregate(
        waiting=Count("pk"), failing=Count("pk", filter=Q(attempts__gt=0)), oldest=Min("first_queued_at")
    )
    oldest = summary["oldest"]
    return OutboxBacklog(
        waiting=summary["waiting"],
        failing=summary["failing"],
        oldest_age=timezone.now() - oldest if oldest else None,
    )
