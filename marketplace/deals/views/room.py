"""Placeholder: the negotiation room views are being written."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


my_negotiations = enquire = express = room = post_message = propose = offer_action = _missing
pass_negotiation = decline = history_json = _missing
