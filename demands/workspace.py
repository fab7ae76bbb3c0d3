"""The demands panel of "My workspace": an organisation's demands by status, staff's moderation queue."""

from django.db.models import Count

from demands.selectors import demand_moderation_queue, demands_of_member
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisation_ids_of


def demands_panel_context(request) -> dict | None:
    user = request.user
    is_member = bool(organisation_ids_of(user))
    is_staff = staff_scope(user).is_staff
    if not (is_member or is_staff):
        return None
    by_status = {}
    if is_member:
        by_status = dict(
            demands_of_member(user).order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
    return {
        "is_member": is_member,
        "is_staff": is_staff,
        "by_status": by_status,
        "to_moderate": demand_moderation_queue(user).count() if is_staff else 0,
    }
