"""The demands panel of "My workspace": an organisation's demands by status, staff's moderation queue, and the
answers: the newest ones sellers gave to the organisation's demands, and how many it gave to others'."""

from demands.selectors import answers_of_member, answers_received_by_member, demand_moderation_queue, demands_of_member
from marketplace.organisations.selectors import moderated_panel_context

ANSWER_ROWS = 3


def demands_panel_context(request) -> dict | None:
    context = moderated_panel_context(request.user, demands_of_member, demand_moderation_queue)
    if context is None or not context["is_member"]:
        return context
    received = answers_received_by_member(request.user)
    context["answers_received"] = list(received.order_by("-created_at", "-pk")[:ANSWER_ROWS])
    context["answers_received_count"] = received.count()
    context["answers_given_count"] = answers_of_member(request.user).filter(withdrawn_at__isnull=True).count()
    return context
