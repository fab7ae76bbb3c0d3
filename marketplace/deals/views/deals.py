"""Placeholder: the deal views are being written."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


my_deals = pass_reasons = detail = contract = contract_pdf = sign = register = shares = cancel = _missing
