"""Centre staff's pages of matching drives: the list, a new drive, its preview (a draft) or its funnel (sent),
sending it and exporting its funnel. Thin: forms in, services and selectors out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drives.criteria import ListingCriteria, TargetCriteria
from drives.exports import funnel_xlsx, stage_definitions, stage_titles
from drives.forms import ChooseListingsForm, NewDriveForm
from drives.models import MAX_LISTINGS_PER_DRIVE, DriveStatus
from drives.pairing import centre_scope, drive_plan, listing_candidates
from drives.selectors import drive_funnel, drives_visible_to
from drives.services import drive_choose_listings, drive_create, drive_send
from listings.ipc_sections import ipc_section_title
from marketplace.centres.selectors import staff_scope
from marketplace.core.cities import City
from marketplace.core.forms import flash_form_errors, refusal_flashed, refusal_on_form
from marketplace.core.pagination import page_links_of
from marketplace.organisations.models import EnterpriseSize, Organisation

PREVIEW_PAGE_SIZE = 25


def _require_staff(request) -> None:
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(_("Only operation-centre staff run matching drives."))


@login_required
def drive_list(request):
    _require_staff(request)
    page = Paginator(drives_visible_to(request.user).order_by("-created_at", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "drives/list.html", {"drives": page.object_list, "pages": page_links_of(page)})


@login_required
def create(request):
    _require_staff(request)
    form = NewDriveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            drive = drive_create(
                actor=request.user,
                centre=form.cleaned_data["centre"],
                title=form.cleaned_data["title"],
                message=form.cleaned_data["message"],
                listing_criteria=form.listing_criteria(),
                target_criteria=form.target_criteria(),
                listings_per_firm=form.cleaned_data["listings_per_firm"],
            )
            messages.success(request, _("Draft drive saved. Check the pairs, then send it."))
            return redirect("drives:detail", pk=drive.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "drives/create.html", {"form": form}, status=status)


def _criteria_text(drive) -> dict:
    listing = ListingCriteria.of(drive.listing_criteria)
    target = TargetCriteria.of(drive.target_criteria)
    sellers = list(
        Organisation.objects.filter(pk__in=listing.seller_ids).order_by("name").values_list("name", flat=True)
    )
    return {
        "sellers": sellers,
        "listing_fields": [f"{letter} · {ipc_section_title(letter)}" for letter in listing.fields],
        "idle_only": listing.idle_only,
        "cities": [City(city).label for city in target.cities if city in City.values],
        "sizes": [EnterpriseSize(size).label for size in target.sizes if size in EnterpriseSize.values],
        "target_fields": [f"{letter} · {ipc_section_title(letter)}" for letter in target.fields],
        "with_demands_only": target.with_demands_only,
    }


@login_required
def detail(request, pk: int):
    _require_staff(request)
    drive = get_object_or_404(drives_visible_to(request.user), pk=pk)
    context = {"drive": drive, "criteria": _criteria_text(drive)}
    if drive.status == DriveStatus.DRAFT:
        plan = drive_plan(drive)
        candidates = list(
            listing_candidates(centre_scope(drive.centre), ListingCriteria.of(drive.listing_criteria)).select_related(
                "seller"
            )[:MAX_LISTINGS_PER_DRIVE]
        )
        page = Paginator(plan.firms, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {
            "plan": plan,
            "firm_plans": page.object_list,
            "pages": page_links_of(page),
            "choose_form": ChooseListingsForm(drive=drive, candidates=candidates),
        }
        return render(request, "drives/preview.html", context)
    funnel = drive_funnel(drive)
    context |= {
        "funnel": funnel,
        "stage_titles": stage_titles(),
        "definitions": stage_definitions(),
        "headline": list(zip(stage_titles(), funnel.bars(), strict=True)),
    }
    return render(request, "drives/funnel.html", context)


@login_required
@require_POST
def choose_listings(request, pk: int):
    _require_staff(request)
    drive = get_object_or_404(drives_visible_to(request.user), pk=pk)
    candidates = listing_candidates(centre_scope(drive.centre), ListingCriteria.of(drive.listing_criteria))
    form = ChooseListingsForm(request.POST, drive=drive, candidates=candidates[:MAX_LISTINGS_PER_DRIVE])
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        with refusal_flashed(request):
            drive_choose_listings(drive=drive, actor=request.user, listing_ids=form.cleaned_data["listings"])
            messages.success(request, _("The listings are chosen; the pairs below follow them."))
    return redirect("drives:detail", pk=drive.pk)


@login_required
@require_POST
def send(request, pk: int):
    _require_staff(request)
    drive = get_object_or_404(drives_visible_to(request.user), pk=pk)
    was = drive.status
    with refusal_flashed(request):
        drive = drive_send(drive=drive, actor=request.user)
        if was == DriveStatus.DRAFT:
            messages.success(request, _("The drive is being sent: each firm gets its digest in a moment."))
        else:
            messages.info(request, _("This drive was sent already; nothing more was sent."))
    return redirect("drives:detail", pk=drive.pk)


@login_required
def export(request, pk: int):
    _require_staff(request)
    drive = get_object_or_404(drives_visible_to(request.user), pk=pk)
    response = HttpResponse(
        funnel_xlsx(drive_funnel(drive)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="drive-{drive.pk}-funnel.xlsx"'
    return response
