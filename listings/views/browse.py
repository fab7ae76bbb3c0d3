"""Public browse and detail pages (placeholder until written)."""

from django.http import Http404


def browse(request):
    raise Http404


def detail(request, pk: int):
    raise Http404
