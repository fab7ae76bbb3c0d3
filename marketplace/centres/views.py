from django.shortcuts import render

from marketplace.centres.selectors import centres_with_depth


def network(request):
    return render(request, "centres/network.html", {"centres": centres_with_depth()})
