"""Pages of the bidding rounds: the list and results, a round's public page (terms, countdown, live ladder), and
the forms behind it: open a round, register to bid, bid (the page's fallback when its socket is down),
withdraw a round, record a winner's default. Each calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from auctions.forms import BidForm, ReasonForm, RoundForm
from auctions.models import DepositStatus, RoundStatus
from auctions.rules import rules_for
from auctions.selectors import (
    deposits_for_staff,
    deposits_of,
    may_manage_rounds,
    open_rounds,
    qualified_organisations,
    results,
    round_page_for,
    round_state,
    rounds_visible_to,
    viewer_of,
)
from auctions.services import bid_place, deposit_register, phase, round_cancel, round_open, winner_default
from listings.models import Listing
from listings.selectors import confidential_access
from marketplace.core.forms import add_service_error, service_error_text
from marketplace.core.pagination import page_links_of
from marketplace.organisations.models import Organisation

PAGE_SIZE = 20


def round_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(results(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"open_rounds": open_rounds(request.user), "results": page.object_list, "pages": page_links_of(page)}
    return render(request, "auctions/list.html", context)


def _render_round(request: HttpRequest, round_, *, bid_form=None, status=200) -> HttpResponse:
    user = request.user
    current = phase(round_)
    own_deposits = deposits_of(user, round_) if user.is_authenticated else []
    page = round_page_for(user, round_, current_phase=current, own_deposits=own_deposits)
    qualified = [deposit.organisation for deposit in own_deposits if deposit.status == DepositStatus.PAID]
    if bid_form is None and qualified and current == "bidding":
        bid_form = BidForm(organisations=qualified, initial={"amount_fen": round_.next_minimum_fen})
    listing = round_.listing
    has_confidential = any(document.confidential for document in listing.attachments.all())
    context = {
        "round": round_,
        "listing": listing,  # its documents, behind its NDA where confidential (templates/listings/_documents.html)
        "has_confidential": has_confidential,
        "confidential_open": has_confidential and confidential_access(user, listing).allowed,
        "phase": current,
        "state": round_state(round_, viewer_of(user, round_)),
        "rules": rules_for(round_.centre_id),
        "own_deposits": own_deposits,
        "page": page,
        "bid_form": bid_form if current == "bidding" else None,
        "staff_deposits": deposits_for_staff(round_) if page.is_staff else None,
        "reason_form": ReasonForm() if page.may_withdraw or page.may_record_default else None,
        "canonical_url": request.build_absolute_uri(round_.get_absolute_url()),
    }
    return render(request, "auctions/detail.html", context, status=status)


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_round(request, get_object_or_404(rounds_visible_to(request.user), pk=pk))


@login_required
def round_new(request: HttpRequest, listing_pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing, pk=listing_pk)
    if not may_manage_rounds(request.user, listing):
        raise PermissionDenied(_("Only the seller or its operation centre may open a bidding round."))
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = round_open(
                listing=listing,
                actor=request.user,
                **{
                    **data,
                    "term_years": data["term_years"],
                    "one_bidder_rule": data["one_bidder_rule"] or "",
                },
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The bidding round is announced."))
            return redirect(round_.get_absolute_url())
    rules = rules_for(listing.centre_id)
    return render(request, "auctions/new.html", {"listing": listing, "form": form, "rules": rules})


@login_required
@require_POST
def round_register(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    organisation = Organisation.objects.filter(pk=request.POST.get("organisation") or 0).first()
    if organisation is None:
        messages.error(request, _("Choose the organisation that bids."))
        return redirect(round_.get_absolute_url())
    try:
        deposit = deposit_register(round_=round_, organisation=organisation, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, service_error_text(error))
        return redirect(round_.get_absolute_url())
    messages.success(request, _("Registered. Pay the deposit to qualify to bid."))
    return redirect("payments:deposit", deposit.instalment_id)


@login_required
@require_POST
def round_bid(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    form = BidForm(request.POST, organisations=qualified_organisations(request.user, round_))
    if form.is_valid():
        try:
            bid_place(
                round_=round_,
                bidder=form.cleaned_data["bidder"],
                actor=request.user,
                amount_fen=form.cleaned_data["amount_fen"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your bid is the highest."))
            return redirect(round_.get_absolute_url())
    round_.refresh_from_db()
    return _render_round(request, round_, bid_form=form, status=400)


@login_required
@require_POST
def round_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the round is withdrawn."))
        round_cancel(round_=round_, actor=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, _("The round is withdrawn; every deposit goes back."))
    return redirect(round_.get_absolute_url())


@login_required
@require_POST
def round_default(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(rounds_visible_to(request.user), pk=pk, status=RoundStatus.SOLD)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the deposit is forfeited."))
        winner_default(round_=round_, actor=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, _("The winner's default is recorded: the deal is withdrawn, the deposit forfeited."))
    return redirect(round_.get_absolute_url())
