"""Centre staff's moderation of demands: the queue of submitted demands of their centre (and below), and a
demand's review page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from demands.selectors import demand_moderation_queue, demands_hosted_for
from demands.services import allowed_moves
from marketplace.centres.selectors import staff_scope


def _require_staff(request) -> None:
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(_("Only operation-centre staff moderate demands."))


@login_required
def queue(request):
    _require_staff(request)
    return render(request, "demands/moderation/queue.html", {"demands": demand_moderation_queue(request.user)})


@login_required
def review(request, pk: int):
    _require_staff(request)
    demand = get_object_or_404(demands_hosted_for(request.user), pk=pk)
    context = {
        "demand": demand,
        "moves": allowed_moves(demand, request.user),
        "events": demand.events.select_related("actor"),
    }
    return render(request, "demands/moderation/review.html", context)
