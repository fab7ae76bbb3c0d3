"""The public pages of demands: the list with its filters, and a demand's page. Both are kept in the public page
cache for anonymous visitors (settings.PUBLIC_PAGE_CACHE_VIEWS): they read no session and hold no form token."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from demands.forms import DemandFilterForm
from demands.selectors import DemandFilters, answers_box, demands_published_filtered, demands_visible_to
from marketplace.core.pagination import page_links_of

PAGE_SIZE = 20


def demand_list(request: HttpRequest) -> HttpResponse:
    form = DemandFilterForm(request.GET or None)
    filters = DemandFilters()
    if form.is_bound:
        # Each filter on its own: a value the form refuses (a forged address) is dropped, the others kept.
        form.is_valid()
        filters = DemandFilters(
            **{name: form.cleaned_data.get(name, "") or "" for name in ("field", "city", "deal_kind")}
        )
    page = Paginator(demands_published_filtered(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "filters": filters, "demands": page.object_list, "pages": page_links_of(page)}
    return render(request, "demands/list.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(demands_visible_to(request.user), pk=pk)
    context = {
        "demand": demand,
        "canonical_url": request.build_absolute_uri(demand.get_absolute_url()),
        "answers_box": answers_box(request.user, demand),
    }
    return render(request, "demands/detail.html", context)
