"""Enquiry, the negotiation room and the list of one's negotiations. Thin: forms in, services out.

Every room URL first finds the negotiation through negotiations_visible_to(user), so an outsider gets a 404
whatever they post; the services then check the person's side again for each action. Every POST works
without JavaScript: it redirects back to the room with a message, or shows the room again with form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deals.forms import (
    ARBITRATION_COMMISSIONS,
    DeclineForm,
    EnquiryForm,
    ExpressForm,
    MessageForm,
    PassForm,
    RejectForm,
    offer_form,
    offer_form_initial,
    offer_terms,
)
from deals.models import (
    Negotiation,
    NegotiationMessage,
    NegotiationStatus,
    Offer,
    OfferStatus,
    Side,
)
from deals.selectors import (
    deals_visible_to,
    negotiations_visible_to,
    participant_side,
    room_history,
    unread_count,
    unread_counts,
)
from deals.services.negotiations import (
    express_licence_take,
    mark_read,
    message_post,
    negotiation_decline,
    negotiation_open,
    negotiation_pass,
    offer_accept,
    offer_propose,
    offer_reject,
    offer_withdraw,
)
from deals.term_sheets import offer_versions
from listings.models import Listing, ListingTerms, Mode
from listings.selectors import listings_on_market
from marketplace.core.forms import refusal_flashed, refusal_on_form, service_error_text
from marketplace.core.ratelimit import limit_for, rate_limited
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import BindingAct, organisation_ids_of, signing_refusal

OFFER_ACTIONS = ("accept", "reject", "withdraw")
HISTORY_PAGE = 200  # messages per history_json answer; the poll asks again from the last id it got
NEGOTIATIONS_PER_PAGE = 30
ENQUIRY_SCOPE = "enquiry"  # settings.RATE_LIMITS["enquiry"]: negotiations a person may open in a window


def _visible(request: HttpRequest, pk: int) -> Negotiation:
    return get_object_or_404(negotiations_visible_to(request.user), pk=pk)


def _back_to_room(negotiation: Negotiation) -> HttpResponse:
    return redirect("negotiations:room", pk=negotiation.pk)


def _buyer_organisations(user, listing: Listing):
    # One cannot buy from oneself: the seller's own organisation is not offered as a buyer.
    return Organisation.objects.filter(id__in=organisation_ids_of(user)).exclude(pk=listing.seller_id).order_by("name")


# --- Enquiry ----------------------------------------------------------------------------------------------


def _open_modes(listing: Listing) -> list[tuple[str, str]]:
    open_modes = {terms.mode for terms in listing.terms.all() if terms.is_open}
    return [(mode, label) for mode, label in Mode.choices if mode in open_modes]


def _express_terms(listing: Listing) -> ListingTerms | None:
    for terms in listing.terms.all():
        if terms.mode == Mode.LICENCE and terms.is_open and terms.express_ordinary:
            return terms
    return None


@login_required
@require_http_methods(["GET", "POST"])
def enquire(request: HttpRequest, listing_pk: int) -> HttpResponse:
    """Enquiring is free: the page says so, and nothing on this path can ask for a fee."""
    listing = get_object_or_404(listings_on_market(), pk=listing_pk)
    organisations = _buyer_organisations(request.user, listing)
    modes = _open_modes(listing)
    initial = {"mode": request.GET["mode"]} if request.GET.get("mode") in dict(modes) else None
    data = request.POST if request.method == "POST" else None
    form = EnquiryForm(data, initial=initial, modes=modes, organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 400
        if not form.is_valid():
            pass
        elif rate_limited(ENQUIRY_SCOPE, f"user:{request.user.pk}"):
            limit = limit_for(ENQUIRY_SCOPE)
            form.add_error(
                None,
                _("You have sent too many enquiries in a short time. Wait %(minutes)s minutes, then send this one.")
                % {"minutes": limit.minutes},
            )
            status = 429
        else:
            with refusal_on_form(form):
                negotiation = negotiation_open(
                    listing=listing,
                    mode=form.cleaned_data["mode"],
                    actor=request.user,
                    buyer=form.cleaned_data["buyer"],
                    message=form.cleaned_data["message"],
                )
                messages.success(
                    request, _("Your enquiry is sent. The seller and a broker of the centre will answer here.")
                )
                return _back_to_room(negotiation)
    context = {
        "listing": listing,
        "form": form,
        "has_organisation": organisations.exists(),
        "express_terms": _express_terms(listing),
        "express_form": ExpressForm(organisations=organisations, prefix="express"),
    }
    return render(request, "deals/enquire.html", context, status=status)


@login_required
@require_POST
def express(request: HttpRequest, listing_pk: int) -> HttpResponse:
    """Express licence: accept the listing's standard ordinary-licence terms and get a deal in one step."""
    listing = get_object_or_404(listings_on_market(), pk=listing_pk)
    form = ExpressForm(request.POST, organisations=_buyer_organisations(request.user, listing), prefix="express")
    if not form.is_valid():
        messages.error(request, _("Choose the organisation that takes the licence."))
        return redirect("negotiations:enquire", listing_pk=listing.pk)
    try:
        deal = express_licence_take(listing=listing, actor=request.user, buyer=form.cleaned_data["buyer"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, service_error_text(error))
        return redirect("negotiations:enquire", listing_pk=listing.pk)
    messages.success(request, _("Done: you have an ordinary licence on the standard terms. Next, sign the contract."))
    return redirect(reverse("deals:detail", args=[deal.pk]))


# --- The list of one's negotiations ------------------------------------------------------------------------


def _side_accepted(offer: Offer, side: str | None) -> bool:
    if side == Side.BUYER:
        return offer.buyer_accepted_at is not None
    if side == Side.SELLER:
        return offer.seller_accepted_at is not None
    return False


def next_step(negotiation: Negotiation, side: str | None, on_table: Offer | None) -> str:
    """What the viewer must do next, in one sentence (whole sentences, so that translators see them whole)."""
    if negotiation.status == NegotiationStatus.AGREED:
        return _("Agreed: a deal was made. Continue on the deal page.")
    if negotiation.status != NegotiationStatus.OPEN:
        return _("Ended: %(status)s.") % {"status": negotiation.get_status_display()}
    if on_table is None:
        if side in (Side.BUYER, Side.SELLER):
            return _("No offer on the table: write, or propose terms.")
        return _("Waiting for the buyer or the seller to propose terms.")
    version = {"version": on_table.version}
    if side == on_table.side:
        if not _side_accepted(on_table, side):
            return (
                _(
                    "Version %(version)s was proposed by a member who is not a signatory: a signatory of your side "
                    "must accept it."
                )
                % version
            )
        if side == Side.BUYER:
            return _("Waiting for the seller to answer version %(version)s.") % version
        return _("Waiting for the buyer to answer version %(version)s.") % version
    if side in (Side.BUYER, Side.SELLER) and _side_accepted(on_table, side):
        # The other side's member proposed it; this side has accepted; the proposer's signatory has not yet.
        if on_table.side == Side.BUYER:
            return _("Your side accepted version %(version)s; a signatory of the buyer must accept it too.") % version
        return _("Your side accepted version %(version)s; a signatory of the seller must accept it too.") % version
    if side in (Side.BUYER, Side.SELLER):
        if on_table.side == Side.BUYER:
            return _("The buyer proposed version %(version)s: accept, reject or counter.") % version
        return _("The seller proposed version %(version)s: accept, reject or counter.") % version
    if on_table.side == Side.BUYER:
        return _("Version %(version)s from the buyer awaits the seller's answer.") % version
    return _("Version %(version)s from the seller awaits the buyer's answer.") % version


@login_required
@require_GET
def my_negotiations(request: HttpRequest) -> HttpResponse:
    negotiations = negotiations_visible_to(request.user).prefetch_related(
        Prefetch("offers", queryset=Offer.objects.filter(status=OfferStatus.PROPOSED), to_attr="on_table")
    )
    show = "all" if request.GET.get("show") == "all" else "open"
    if show == "open":
        negotiations = negotiations.filter(status=NegotiationStatus.OPEN)
    page = Paginator(negotiations.order_by("-last_activity_at", "-pk"), NEGOTIATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = unread_counts(request.user, [negotiation.pk for negotiation in page])
    rows = []
    for negotiation in page:
        side = participant_side(negotiation, request.user)
        on_table = negotiation.on_table[0] if negotiation.on_table else None
        rows.append(
            {
                "negotiation": negotiation,
                "side": side,
                "side_label": Side(side).label if side else "",
                "unread": counts.get(negotiation.pk, 0),
                "next_step": next_step(negotiation, side, on_table),
            }
        )
    return render(request, "deals/negotiations.html", {"rows": rows, "page": page, "show": show})


# --- The room ---------------------------------------------------------------------------------------------


def _room_context(request: HttpRequest, negotiation: Negotiation, **forms: Form) -> dict:
    user = request.user
    side = participant_side(negotiation, user)
    is_open = negotiation.status == NegotiationStatus.OPEN
    offers = list(
        negotiation.offers.select_related("proposed_by", "buyer_accepted_by", "seller_accepted_by").order_by("version")
    )
    on_table = next((offer for offer in offers if offer.status == OfferStatus.PROPOSED), None)
    trading_side = side in (Side.BUYER, Side.SELLER)
    listing_terms = next((terms for terms in negotiation.listing.terms.all() if terms.mode == negotiation.mode), None)
    history = list(room_history(negotiation))
    versions = offer_versions(offers, negotiation.mode)
    may_accept = bool(is_open and on_table and trading_side and not _side_accepted(on_table, side))
    side_organisation = negotiation.buyer if side == Side.BUYER else negotiation.listing.seller
    context = {
        "negotiation": negotiation,
        "listing": negotiation.listing,
        "side": side,
        "side_label": Side(side).label if side else "",
        "is_open": is_open,
        "history": history,
        "last_message_id": history[-1].pk if history else 0,
        "versions": list(reversed(versions)),
        "on_table": on_table,
        "on_table_version": next((v for v in versions if on_table and v.offer.pk == on_table.pk), None),
        "listing_terms": listing_terms,
        "can_accept": may_accept,
        # Why the person may not accept for their side, saying who can ("" when they may).
        "accept_refusal": signing_refusal(user, side_organisation, BindingAct.ACCEPT) if may_accept else "",
        "can_answer": bool(is_open and on_table and trading_side and on_table.side != side),
        "can_withdraw": bool(is_open and on_table and on_table.side == side),
        "can_propose": is_open and trading_side,
        "can_pass": is_open and side == Side.BUYER,
        "can_decline": is_open and side == Side.SELLER,
        "deal": deals_visible_to(user).filter(negotiation=negotiation).first()
        if negotiation.status == NegotiationStatus.AGREED
        else None,
        "socket_path": f"/ws/negotiations/{negotiation.pk}/",
        "next_step": next_step(negotiation, side, on_table),
    }
    if is_open:
        latest = offers[-1] if offers else None
        context["offer_form"] = forms.get("offer_form") or offer_form(
            negotiation.mode, initial=offer_form_initial(negotiation.mode, latest, listing_terms)
        )
        context["arbitration_commissions"] = ARBITRATION_COMMISSIONS
        context["message_form"] = forms.get("message_form") or MessageForm()
        context["pass_form"] = forms.get("pass_form") or PassForm(prefix="pass")
        context["reject_form"] = RejectForm(prefix="reject")
        context["decline_form"] = DeclineForm(prefix="decline")
    return context


def _render_room(request: HttpRequest, negotiation: Negotiation, status: int = 200, **forms: Form) -> HttpResponse:
    return render(request, "deals/room.html", _room_context(request, negotiation, **forms), status=status)


@login_required
@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _visible(request, pk)
    context = _room_context(request, negotiation)
    response = render(request, "deals/room.html", context)
    # Shown means read, up to the last message shown: one that arrived while rendering stays unread.
    if context["last_message_id"]:
        mark_read(negotiation=negotiation, user=request.user, up_to_message_id=context["last_message_id"])
    return response


@login_required
@require_POST
def post_message(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _visible(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            message_post(negotiation=negotiation, actor=request.user, body=form.cleaned_data["body"])
            return _back_to_room(negotiation)
    return _render_room(request, negotiation, status=400, message_form=form)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _visible(request, pk)
    form = offer_form(negotiation.mode, data=request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            offer = offer_propose(negotiation=negotiation, actor=request.user, terms=offer_terms(form))
            messages.success(request, _("Version %(version)s is on the table.") % {"version": offer.version})
            return _back_to_room(negotiation)
    return _render_room(request, negotiation, status=400, offer_form=form)


@login_required
@require_POST
def offer_action(request: HttpRequest, pk: int, offer_pk: int, action: str) -> HttpResponse:
    negotiation = _visible(request, pk)
    if action not in OFFER_ACTIONS:
        raise Http404
    offer = get_object_or_404(Offer, pk=offer_pk, negotiation=negotiation)
    with refusal_flashed(request):
        if action == "accept":
            deal = offer_accept(offer=offer, actor=request.user)
            if deal is None:
                messages.success(
                    request,
                    _("You accepted version %(version)s for your side; the other side's acceptance is awaited.")
                    % {"version": offer.version},
                )
                return _back_to_room(negotiation)
            messages.success(
                request,
                _("You accepted version %(version)s: deal #%(deal)s.") % {"version": offer.version, "deal": deal.pk},
            )
            return redirect(reverse("deals:detail", args=[deal.pk]))
        if action == "reject":
            form = RejectForm(request.POST, prefix="reject")
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            offer_reject(offer=offer, actor=request.user, reason=reason)
            messages.success(request, _("You rejected version %(version)s.") % {"version": offer.version})
        else:
            offer_withdraw(offer=offer, actor=request.user)
            messages.success(request, _("You withdrew version %(version)s.") % {"version": offer.version})
    return _back_to_room(negotiation)


@login_required
@require_POST
def pass_negotiation(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer ends the negotiation and says why."""
    negotiation = _visible(request, pk)
    form = PassForm(request.POST, prefix="pass")
    if form.is_valid():
        with refusal_on_form(form):
            negotiation_pass(negotiation=negotiation, actor=request.user, **form.cleaned_data)
            messages.success(request, _("You ended this negotiation. Thank you for saying why."))
            return _back_to_room(negotiation)
    return _render_room(request, negotiation, status=400, pass_form=form)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The seller ends the negotiation."""
    negotiation = _visible(request, pk)
    form = DeclineForm(request.POST, prefix="decline")
    text = form.cleaned_data["text"] if form.is_valid() else ""
    with refusal_flashed(request):
        negotiation_decline(negotiation=negotiation, actor=request.user, text=text)
        messages.success(request, _("You ended this negotiation."))
    return _back_to_room(negotiation)


# --- JSON for the page's script when the socket is down ----------------------------------------------------


def message_as_event(message: NegotiationMessage, status: str) -> dict:
    """A stored message in the shape of the live room event (services.rooms.room_post), so the page's
    script handles both the same way."""
    return {
        "kind": message.kind,
        "id": message.pk,
        "side": message.side,
        "author": str(message.author) if message.author else "",
        "author_id": message.author_id,
        "body": message.body,
        "offer_id": message.offer_id,
        "offer_version": message.offer.version if message.offer else None,
        "status": status,
        "created_at": message.created_at.isoformat(),
    }


@login_required
@require_GET
def history_json(request: HttpRequest, pk: int) -> JsonResponse:
    """Messages after ?after=<id>, oldest first. With ?seen=1 (the page is in front of the person) they
    count as read, as they would over the socket."""
    negotiation = _visible(request, pk)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        return JsonResponse({"error": _("“after” must be a message number.")}, status=400)
    rows = list(room_history(negotiation).filter(id__gt=max(after, 0))[:HISTORY_PAGE])
    if rows and request.GET.get("seen") == "1":
        mark_read(negotiation=negotiation, user=request.user, up_to_message_id=rows[-1].pk)
    return JsonResponse(
        {
            "status": negotiation.status,
            "messages": [message_as_event(message, negotiation.status) for message in rows],
            "unread": unread_count(negotiation, request.user),
        }
    )
