"""The organisation's demands in its workspace: write, edit, submit, pause and close. Thin: forms in, services out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from demands.forms import DemandForm, DemandStatusForm, NewDemandForm
from demands.models import DemandStatus
from demands.selectors import demands_of_member, demands_visible_to, solving_deal_choices
from demands.services import (
    OWNER,
    actor_roles,
    allowed_moves,
    demand_create,
    demand_set_status,
    demand_update,
    organisation_unverified_message,
)
from marketplace.core.forms import flash_form_errors, flash_service_error, refusal_on_form
from marketplace.core.pagination import page_links_of
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import organisation_ids_of

MY_DEMANDS_PAGE_SIZE = 25


@login_required
def my_demands(request):
    page = Paginator(demands_of_member(request.user), MY_DEMANDS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demands/workspace/list.html", {"demands": page.object_list, "pages": page_links_of(page)})


@login_required
def create(request):
    organisations = Organisation.objects.filter(id__in=organisation_ids_of(request.user)).select_related("centre")
    if not organisations.exists():
        messages.info(request, _("Register your organisation (or be added to one) before posting a demand."))
        return redirect("organisations:register")
    form = NewDemandForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        with refusal_on_form(form):
            demand = demand_create(actor=request.user, organisation=organisation, **data)
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect("demands:edit", pk=demand.pk)
    unverified = [organisation for organisation in organisations if not organisation.verified]
    return render(request, "demands/workspace/create.html", {"form": form, "unverified": unverified})


@login_required
def edit(request, pk: int):
    demand = get_object_or_404(demands_of_member(request.user), pk=pk)
    editable = demand.status in (DemandStatus.DRAFT, DemandStatus.PUBLISHED, DemandStatus.PAUSED)
    form = DemandForm(request.POST or None, initial=DemandForm.initial_of(demand))
    if request.method == "POST" and editable and form.is_valid():
        with refusal_on_form(form):
            demand_update(demand=demand, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("demands:edit", pk=demand.pk)
    context = {
        "demand": demand,
        "form": form,
        "editable": editable,
        "unverified": "" if demand.organisation.verified else organisation_unverified_message(demand.organisation),
        "moves": allowed_moves(demand, request.user),
        "events": demand.events.select_related("actor"),
        "solving_deals": solving_deal_choices(demand),
    }
    return render(request, "demands/workspace/edit.html", context)


@login_required
@require_POST
def change_status(request, pk: int):
    """Owners and staff both move demands through here; the service decides who may do what."""
    demand = get_object_or_404(demands_visible_to(request.user), pk=pk)
    form = DemandStatusForm(request.POST)
    if not form.is_valid():
        if "to_status" in form.errors:
            messages.error(request, _("Unknown status."))
        else:
            flash_form_errors(request, form)
    else:
        try:
            demand_set_status(
                demand=demand,
                to_status=form.cleaned_data["to_status"],
                actor=request.user,
                note=form.cleaned_data["note"],
                close_reason=form.cleaned_data["close_reason"],
                deal=form.cleaned_data["deal"],
            )
        except ValidationError as error:  # a refusal of who asked (PermissionDenied) stays a 403
            flash_service_error(request, error)
        else:
            messages.success(
                request,
                _("The demand is now “%(status)s”.") % {"status": DemandStatus(form.cleaned_data["to_status"]).label},
            )
    if OWNER in actor_roles(demand, request.user):
        return redirect("demands:edit", pk=demand.pk)
    return redirect("demands:moderation_queue")
