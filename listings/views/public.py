"""Public pages of a listing: read it, and download its documents. (The finder at /patents/ is the search
app's: search.views.finder.)"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from listings.pricing import PRICE_ANNOTATION, display_price_fen
from listings.selectors import attachments_visible_to, listings_visible_to
from marketplace.core.downloads import protected_file_response


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(listings_visible_to(request.user).prefetch_related("benefits", "attachments"), pk=pk)
    # The price from the terms loaded anyway, in Python: for one listing the SQL subquery cost more to build.
    setattr(listing, PRICE_ANNOTATION, display_price_fen(listing))
    context = {
        "listing": listing,
        "patents": list(listing.patents.all()),
        "canonical_url": request.build_absolute_uri(listing.get_absolute_url()),
    }
    return render(request, "listings/detail.html", context)


@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """One of a listing's documents, to whoever may see the listing; a 404 to anyone else, as if it did not
    exist (nothing serves the media directory itself)."""
    document = get_object_or_404(attachments_visible_to(request.user), pk=attachment_pk, listing_id=pk)
    return protected_file_response(document.file, filename=document.original_name)
