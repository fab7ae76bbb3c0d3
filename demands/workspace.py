"""The demands panel of "My workspace": an organisation's demands by status, staff's moderation queue."""

from demands.selectors import demand_moderation_queue, demands_of_member
from marketplace.organisations.selectors import moderated_panel_context


def demands_panel_context(request) -> dict | None:
    return moderated_panel_context(request.user, demands_of_member, demand_moderation_queue)
