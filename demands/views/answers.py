"""Answers to demands: a seller answers with its listings; the demand's organisation compares the answers side by
side and opens a negotiation room from one. Thin: forms in, services out. None of these pages is public: answers
are read by the demand's organisation, the seller that answered and the centres' staff only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from demands.answers import answered_listing_negotiate, demand_answer_create, demand_answer_withdraw, may_withdraw
from demands.forms import AnswerForm, NegotiateFromAnswerForm
from demands.models import AnsweredListing, DemandAnswer, DemandStatus
from demands.selectors import (
    answer_listing_choices,
    answer_rows,
    answers_visible_to,
    can_see_all_answers,
    demands_published,
    demands_visible_to,
)
from marketplace.core.forms import refusal_flashed, refusal_on_form
from marketplace.organisations.selectors import organisation_ids_of

# More listings than this are not shown at once: the seller narrows them by words or by seller first.
SHOWN_LISTINGS = 50


def _shown_listings(request: HttpRequest, eligible):
    """The listings the form offers: narrowed by the words and the seller asked for, at most SHOWN_LISTINGS, plus
    any the request chose (so a choice outside the shown ones is still judged, and still refused if not allowed)."""
    words, seller = request.GET.get("q", "").strip(), request.GET.get("seller", "")
    narrowed = eligible
    if words:
        narrowed = narrowed.filter(title__icontains=words)
    if seller.isdigit():
        narrowed = narrowed.filter(seller_id=int(seller))
    shown_ids = list(narrowed.values_list("pk", flat=True)[:SHOWN_LISTINGS])
    chosen = [value for value in request.POST.getlist("listings") if value.isdigit()]
    return eligible.filter(Q(pk__in=shown_ids) | Q(pk__in=chosen)), narrowed.count() > SHOWN_LISTINGS


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(demands_published(), pk=pk)
    eligible = answer_listing_choices(request.user, demand)
    own_demand = demand.organisation_id in organisation_ids_of(request.user)
    listings, more = _shown_listings(request, eligible)
    form = AnswerForm(request.POST or None, listings=listings)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                demand_answer_create(
                    demand=demand,
                    actor=request.user,
                    listings=form.cleaned_data["listings"],
                    message=form.cleaned_data["message"],
                )
                messages.success(
                    request, _("Your answer was sent to %(organisation)s.") % {"organisation": demand.organisation.name}
                )
                return redirect("demands:answers", pk=demand.pk)
    sellers = sorted({(listing.seller_id, listing.seller.name) for listing in eligible[:500]}, key=lambda s: s[1])
    context = {
        "demand": demand,
        "form": form,
        "own_demand": own_demand and not eligible.exists(),
        "has_listings": eligible.exists(),
        "more": more,
        "shown": SHOWN_LISTINGS,
        "sellers": sellers if len(sellers) > 1 else [],
        "q": request.GET.get("q", ""),
        "seller": request.GET.get("seller", ""),
    }
    return render(request, "demands/answer.html", context, status=status)


@login_required
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The answers side by side. The demand's organisation and its centre's staff see them all; a seller sees its
    own; anyone else gets "not found", as if the page did not exist."""
    demand = get_object_or_404(demands_visible_to(request.user), pk=pk)
    sees_all = can_see_all_answers(request.user, demand)
    visible = answers_visible_to(request.user, demand)
    if not sees_all and not visible.exists():
        raise Http404
    is_owner = demand.organisation_id in organisation_ids_of(request.user)
    rows = answer_rows(request.user, demand, include_withdrawn=not is_owner)
    withdrawable = [item for item in visible if not item.is_withdrawn and may_withdraw(request.user, item)]
    context = {
        "demand": demand,
        "rows": rows,
        "is_owner": is_owner,
        "can_negotiate": is_owner and demand.status in (DemandStatus.PUBLISHED, DemandStatus.PAUSED),
        "withdrawable": withdrawable,
        "answer_count": len({row.answer.pk for row in rows}),
    }
    return render(request, "demands/answers.html", context)


@login_required
@require_POST
def negotiate(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (or return to) the negotiation room on one answered listing, for the demand's organisation."""
    answered = get_object_or_404(
        AnsweredListing.objects.select_related("demand"),
        pk=pk,
        demand__organisation_id__in=organisation_ids_of(request.user),
    )
    form = NegotiateFromAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the modes the listing offers."))
        return redirect("demands:answers", pk=answered.demand_id)
    with refusal_flashed(request):
        negotiation = answered_listing_negotiate(answered=answered, mode=form.cleaned_data["mode"], actor=request.user)
        return redirect("negotiations:room", pk=negotiation.pk)
    return redirect("demands:answers", pk=answered.demand_id)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DemandAnswer.objects.select_related("organisation"), pk=pk)
    if not answers_visible_to(request.user, item.demand).filter(pk=item.pk).exists():
        raise Http404
    with refusal_flashed(request):
        demand_answer_withdraw(answer=item, actor=request.user)
        messages.success(request, _("Your answer was withdrawn."))
    return redirect("demands:answers", pk=item.demand_id)
