"""Public pages: browse the patents on the market, read one listing, and download its documents."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from listings.browse import active_filter_labels, browse_facets, query_without_empty_values
from listings.filters import ListingFilter, SortOrder
from listings.pricing import PRICE_ANNOTATION, display_price_fen
from listings.selectors import attachments_visible_to, listings_on_market, listings_visible_to
from marketplace.core.downloads import protected_file_response

PAGE_SIZE = 20


def browse(request: HttpRequest) -> HttpResponse:
    # A GET form submits every field, chosen or not; drop the empty ones so the address stays short and stable.
    compacted = query_without_empty_values(request.GET)
    if compacted is not None:
        return redirect(f"{request.path}?{compacted.urlencode()}" if compacted else request.path)

    filterset = ListingFilter(request.GET, queryset=listings_on_market())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    facets = browse_facets(filterset)
    context = {
        "filterset": filterset,
        "page_obj": page,
        "facets": facets,
        "active_filters": active_filter_labels(facets),
        "sort_choices": SortOrder.choices,
        "sort": filterset.sort_order,
    }
    return render(request, "listings/browse.html", context)


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
