"""The negotiations panel of "My workspace": open negotiations, newest activity first, with unread counts."""

from deals.models import NegotiationStatus
from deals.selectors import negotiations_visible_to, unread_counts

PANEL_ROWS = 5


def negotiations_panel_context(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    open_negotiations = negotiations_visible_to(user).filter(status=NegotiationStatus.OPEN)
    latest = list(open_negotiations.order_by("-last_activity_at", "-pk")[:PANEL_ROWS])
    if not latest:
        return None
    counts = unread_counts(user, [negotiation.pk for negotiation in latest])
    return {
        "rows": [{"negotiation": negotiation, "unread": counts[negotiation.pk]} for negotiation in latest],
        "open_count": open_negotiations.count(),
        "unread_total": sum(counts.values()),
    }
