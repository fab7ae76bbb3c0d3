from django.http import Http404
from django.shortcuts import redirect
from wagtail.views import serve as serve_page

from cms.selectors import main_policy_index


def policy_index(request):
    """The site's policy index under a stable URL name (cms:policy_index) for the navigation.

    The page lives in Wagtail's tree (by default at /policy/, the address of this view): it is served through
    Wagtail, with its privacy and hooks; if an editor moved it, this address redirects to it.
    """
    index = main_policy_index()
    if index is None:
        raise Http404
    url = index.get_url(request)
    if url != request.path:
        return redirect(url)
    return serve_page(request, request.path.lstrip("/"))
