"""Bulk import upload page (placeholder until written)."""

from django.http import Http404


def upload(request):
    raise Http404


def template_download(request, fmt: str):
    raise Http404
