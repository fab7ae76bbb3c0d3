"""The seller's workspace: create, edit, price and submit listings. Thin: forms in, services out."""

from dataclasses import fields as dataclass_fields

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from listings.fields import clean_application_number
from listings.forms import (
    AttachmentForm,
    BenefitFormSet,
    ConfidentialForm,
    EquityTermsForm,
    LicenceTermsForm,
    ListingForm,
    NdaTextForm,
    NewListingForm,
    PatentForm,
    StatusChangeForm,
    TransferTermsForm,
)
from listings.models import Listing, ListingStatus, Mode
from listings.quality import assess_quality
from listings.review import findings_of
from listings.selectors import (
    confidential_downloads_of_listing,
    listings_of_seller,
    nda_acceptances_of_listing,
    nda_current,
    patent_record_for,
)
from listings.services import (
    SELLER,
    PatentData,
    actor_roles,
    allowed_moves,
    attachment_set_confidential,
    listing_attach,
    listing_remove_terms,
    listing_set_benefits,
    listing_set_nda_text,
    listing_set_status,
    listing_set_terms,
    listing_start,
    listing_update,
    seller_unverified_message,
)
from marketplace.core.forms import add_service_error, flash_form_errors, flash_service_error
from marketplace.core.pagination import page_links_of
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import organisation_ids_of

TERMS_FORMS = {Mode.LICENCE: LicenceTermsForm, Mode.TRANSFER: TransferTermsForm, Mode.EQUITY: EquityTermsForm}


def _seller_listing(request, pk: int) -> Listing:
    listing = get_object_or_404(listings_of_seller(request.user), pk=pk)
    return listing


# Rows of the seller's table per page; an organisation importing hundreds of listings pages through them.
MY_LISTINGS_PAGE_SIZE = 25


@login_required
def my_listings(request):
    page = Paginator(listings_of_seller(request.user), MY_LISTINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "listings/workspace/list.html", {"listings": page.object_list, "pages": page_links_of(page)})


@login_required
def create(request):
    organisations = Organisation.objects.filter(id__in=organisation_ids_of(request.user))
    if not organisations.exists():
        messages.info(request, _("Register your organisation (or be added to one) before listing patents."))
        return redirect("organisations:register")
    listing_form = NewListingForm(request.POST or None, organisations=organisations, prefix="listing")
    patent_form = PatentForm(request.POST or None, prefix="patent")
    if request.method == "POST" and listing_form.is_valid() and patent_form.is_valid():
        data = listing_form.cleaned_data
        patent_data = PatentData(**{f.name: patent_form.cleaned_data.get(f.name) for f in dataclass_fields(PatentData)})
        details = {key: data[key] for key in ("maturity", "application_fields", "comparison", "asking_price_fen")}
        details["price_negotiable"] = data["price_negotiable"]
        try:
            listing = listing_start(
                actor=request.user,
                seller=data["seller"],
                patent_data=patent_data,
                other_numbers=data["other_patents"],
                title=data["title"],
                summary=data["summary"],
                **details,
            )
        except ValidationError as error:
            add_service_error(listing_form, error)
        else:
            messages.success(request, _("Draft saved. Now set the terms you offer, then submit it for review."))
            return redirect("listings:terms", pk=listing.pk)
    return render(request, "listings/workspace/create.html", {"listing_form": listing_form, "patent_form": patent_form})


@login_required
@require_GET
def patent_lookup(request):
    """JSON for the create form: the patent the platform already knows under this number, if any."""
    raw = request.GET.get("number", "")
    try:
        number = clean_application_number(raw)
    except ValidationError as error:
        return JsonResponse({"valid": False, "error": error.messages[0]}, status=400)
    patent = patent_record_for(number.normalised, request.user)
    body = {"valid": True, "normalised": number.normalised, "patent_type": number.patent_type, "found": False}
    if patent is not None:
        body.update(
            found=True,
            title=patent.title,
            abstract=patent.abstract,
            first_claim=patent.first_claim,
            ipc_codes="; ".join(patent.ipc_codes),
            filing_date=patent.filing_date.isoformat(),
            publication_date=patent.publication_date.isoformat() if patent.publication_date else "",
            grant_date=patent.grant_date.isoformat() if patent.grant_date else "",
            legal_status=patent.legal_status,
            applicant_names="; ".join(patent.applicant_names),
            inventors="; ".join(patent.inventors),
        )
    return JsonResponse(body)


@login_required
def edit(request, pk: int):
    listing = _seller_listing(request, pk)
    editable = listing.status in (ListingStatus.DRAFT, ListingStatus.PUBLISHED, ListingStatus.PAUSED)
    form = ListingForm(request.POST or None, instance=listing, prefix="listing")
    benefits = BenefitFormSet(
        request.POST or None,
        prefix="benefits",
        initial=[{k: getattr(b, k) for k in ("metric", "value", "unit", "baseline")} for b in listing.benefits.all()],
    )
    if request.method == "POST" and editable and form.is_valid() and benefits.is_valid():
        rows = [row for row in benefits.cleaned_data if row.get("metric")]
        try:
            listing_update(listing=listing, actor=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields})
            listing_set_benefits(listing=listing, actor=request.user, benefits=rows)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("listings:edit", pk=listing.pk)
    listing.refresh_from_db()
    nda = nda_current(listing)
    context = {
        "listing": listing,
        "form": form,
        "benefits": benefits,
        "editable": editable,
        "unverified_seller": "" if listing.seller.verified else seller_unverified_message(listing),
        "quality": assess_quality(listing),
        "findings": findings_of(listing.review),
        "moves": allowed_moves(listing, request.user),
        "events": listing.events.select_related("actor"),
        "attachment_form": AttachmentForm(),
        "nda": nda,
        "nda_form": NdaTextForm(initial={"text": "" if nda.is_default else nda.text}),
        # The seller sees who accepted its NDA and every download of its confidential documents.
        "nda_acceptances": nda_acceptances_of_listing(request.user, listing)[:200],
        "confidential_downloads": confidential_downloads_of_listing(request.user, listing)[:200],
    }
    return render(request, "listings/workspace/edit.html", context)


@login_required
def terms(request, pk: int):
    listing = _seller_listing(request, pk)
    existing = {record.mode: record for record in listing.terms.all()}
    forms_by_mode = {}
    for mode, form_class in TERMS_FORMS.items():
        record = existing.get(mode)
        initial = {"offered": record is not None}
        if record is not None:
            initial.update({name: getattr(record, name) for name in form_class.base_fields if name != "offered"})
        forms_by_mode[mode] = form_class(request.POST or None, prefix=mode, initial=initial)
    if request.method == "POST" and all(form.is_valid() for form in forms_by_mode.values()):
        if not any(form.cleaned_data["offered"] for form in forms_by_mode.values()):
            forms_by_mode[Mode.LICENCE].add_error(None, _("Offer at least one mode: licence, transfer or equity."))
        else:
            try:
                for mode, form in forms_by_mode.items():
                    values = {k: v for k, v in form.cleaned_data.items() if k != "offered"}
                    if form.cleaned_data["offered"]:
                        listing_set_terms(listing=listing, actor=request.user, mode=mode, **values)
                    elif mode in existing:
                        listing_remove_terms(listing=listing, actor=request.user, mode=mode)
            except ValidationError as error:
                add_service_error(forms_by_mode[Mode.LICENCE], error)
            else:
                messages.success(request, _("Terms saved."))
                return redirect("listings:edit", pk=listing.pk)
    return render(
        request,
        "listings/workspace/terms.html",
        {"listing": listing, "mode_forms": [(Mode(mode).label, form) for mode, form in forms_by_mode.items()]},
    )


@login_required
@require_POST
def attachments(request, pk: int):
    listing = _seller_listing(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            listing_attach(
                listing=listing,
                actor=request.user,
                upload=form.cleaned_data["file"],
                confidential=form.cleaned_data["confidential"],
            )
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(request, _("Attachment added."))
    else:
        flash_form_errors(request, form)
    return redirect("listings:edit", pk=listing.pk)


@login_required
@require_POST
def attachment_confidential(request, pk: int, attachment_pk: int):
    """The seller marks one of the listing's documents confidential (behind the NDA) or public."""
    listing = _seller_listing(request, pk)
    document = get_object_or_404(listing.attachments, pk=attachment_pk)
    form = ConfidentialForm(request.POST)
    form.is_valid()  # a lone optional checkbox: absent means public
    attachment_set_confidential(attachment=document, actor=request.user, confidential=form.cleaned_data["confidential"])
    if document.confidential:
        messages.success(request, _("“%(name)s” is now confidential.") % {"name": document.original_name})
    else:
        messages.success(request, _("“%(name)s” is now public.") % {"name": document.original_name})
    return redirect("listings:edit", pk=listing.pk)


@login_required
@require_POST
def nda_text(request, pk: int):
    """The seller sets its own NDA text for the listing (a new version), or returns to the standard one."""
    listing = _seller_listing(request, pk)
    form = NdaTextForm(request.POST)
    if form.is_valid():
        try:
            listing_set_nda_text(listing=listing, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(request, _("NDA text saved as a new version."))
    else:
        flash_form_errors(request, form)
    return redirect("listings:edit", pk=listing.pk)


@login_required
@require_POST
def change_status(request, pk: int):
    """Sellers and brokers both move listings through here; the service decides who may do what."""
    from listings.selectors import listings_visible_to

    listing = get_object_or_404(listings_visible_to(request.user), pk=pk)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        try:
            listing_set_status(
                listing=listing,
                to_status=form.cleaned_data["to_status"],
                actor=request.user,
                note=form.cleaned_data["note"],
                close_reason=form.cleaned_data["close_reason"],
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(
                request,
                _("The listing is now “%(status)s”.") % {"status": ListingStatus(form.cleaned_data["to_status"]).label},
            )
    if SELLER in actor_roles(listing, request.user):
        return redirect("listings:edit", pk=listing.pk)
    return redirect("listings:moderation_queue")
