"""What a firm sees of drives: its digests in the workspace, and a digest's page (also the mail's link)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from drives.selectors import digest_by_token, digest_pairs, digests_of_member
from drives.services import digest_open
from marketplace.core.pagination import page_links_of


@login_required
def my_digests(request):
    page = Paginator(digests_of_member(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "drives/my_digests.html", {"digests": page.object_list, "pages": page_links_of(page)})


def digest(request, token: str):
    """The digest of one firm. The link is the key: it lists published listings only, so whoever holds it may read
    it; the first opening by the firm (signed in, or through its mail) is recorded for the drive's funnel."""
    recipient = digest_by_token(token)
    if recipient is None:
        raise Http404
    digest_open(recipient=recipient, viewer=request.user)
    return render(request, "drives/digest.html", {"recipient": recipient, "pairs": digest_pairs(recipient)})
