from django.http import Http404


def queue(request):
    raise Http404


def review(request, pk: int):
    raise Http404
