from django.http import Http404


def my_listings(request):
    raise Http404


def create(request):
    raise Http404


def patent_lookup(request):
    raise Http404


def edit(request, pk: int):
    raise Http404


def terms(request, pk: int):
    raise Http404


def attachments(request, pk: int):
    raise Http404


def change_status(request, pk: int):
    raise Http404
