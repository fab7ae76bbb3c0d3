"""A broker's moderation queue: submitted listings of their centre (and below), with the IP review."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from listings.quality import assess_quality
from listings.review import findings_of
from listings.selectors import listings_hosted_for, moderation_queue
from listings.services import allowed_moves
from marketplace.centres.selectors import staff_scope


@login_required
def queue(request):
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(_("Only operation-centre staff moderate listings."))
    return render(request, "listings/moderation/queue.html", {"listings": moderation_queue(request.user)})


@login_required
def review(request, pk: int):
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(_("Only operation-centre staff moderate listings."))
    listing = get_object_or_404(listings_hosted_for(request.user), pk=pk)
    context = {
        "listing": listing,
        "findings": findings_of(listing.review),
        "quality": assess_quality(listing),
        "moves": allowed_moves(listing, request.user),
        "events": listing.events.select_related("actor"),
    }
    return render(request, "listings/moderation/review.html", context)
