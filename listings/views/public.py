"""Public pages of a listing: read it, download its documents, and accept its NDA to open the confidential ones.
(The finder at /patents/ is the search app's: search.views.finder.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from listings.forms import NdaAcceptForm
from listings.pricing import PRICE_ANNOTATION, display_price_fen
from listings.selectors import (
    attachments_visible_to,
    confidential_access,
    listings_visible_to,
    nda_current,
    nda_organisations_of,
)
from listings.services import confidential_download_record, nda_accept
from marketplace.core.downloads import protected_file_response
from marketplace.core.forms import flash_service_error


def _client(request: HttpRequest) -> dict:
    # The peer the ASGI server reports (the visitor's, behind the proxy: accounts.backends.client_address).
    return {
        "ip_address": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(listings_visible_to(request.user).prefetch_related("benefits", "attachments"), pk=pk)
    # The price from the terms loaded anyway, in Python: for one listing the SQL subquery cost more to build.
    setattr(listing, PRICE_ANNOTATION, display_price_fen(listing))
    has_confidential = any(document.confidential for document in listing.attachments.all())
    context = {
        "listing": listing,
        "patents": list(listing.patents.all()),
        "canonical_url": request.build_absolute_uri(listing.get_absolute_url()),
        "has_confidential": has_confidential,
        "confidential_open": has_confidential and confidential_access(request.user, listing).allowed,
    }
    return render(request, "listings/detail.html", context)


@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """One of a listing's documents, to whoever may see the listing; a 404 to anyone else, as if it did not
    exist (nothing serves the media directory itself). A confidential one goes out only to those the NDA lets
    in (a visitor is sent to sign in, a member who has not accepted gets a 403 that says how), and is logged."""
    document = get_object_or_404(
        attachments_visible_to(request.user).select_related("listing"), pk=attachment_pk, listing_id=pk
    )
    if document.confidential:
        listing = document.listing
        access = confidential_access(request.user, listing)
        if not request.user.is_authenticated:
            return redirect_to_login(listing.get_absolute_url())
        if not access.allowed:
            context = {"listing": listing, "document": document}
            return render(request, "listings/confidential_refused.html", context, status=403)
        confidential_download_record(attachment=document, actor=request.user, access=access, **_client(request))
    return protected_file_response(document.file, filename=document.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def nda(request: HttpRequest, pk: int) -> HttpResponse:
    """The listing's NDA: read it, and accept it on behalf of one's organisation (click-through)."""
    listing = get_object_or_404(listings_visible_to(request.user), pk=pk)
    text = nda_current(listing)
    access = confidential_access(request.user, listing, text)
    organisations = nda_organisations_of(request.user, listing)
    form = NdaAcceptForm(request.POST or None, organisations=organisations, initial={"text_sha256": text.sha256})
    if request.method == "POST" and form.is_valid():
        try:
            nda_accept(
                listing=listing,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                text_sha256=form.cleaned_data["text_sha256"],
                **_client(request),
            )
        except ValidationError as error:
            # Shown above the current text, with a fresh form that carries the current text's digest.
            flash_service_error(request, error)
            form = NdaAcceptForm(organisations=organisations, initial={"text_sha256": text.sha256})
        else:
            messages.success(request, _("NDA accepted. The confidential documents are open to your organisation."))
            return redirect(listing.get_absolute_url() + "#attachments-title")
    context = {"listing": listing, "nda": text, "access": access, "form": form, "organisations": organisations}
    return render(request, "listings/nda.html", context)
