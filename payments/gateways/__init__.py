"""The active payment gateway, chosen by the PAYMENT_GATEWAY setting (a dotted path to a factory)."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from payments.gateways.base import PaymentGateway


@cache
def get_gateway() -> PaymentGateway:
    return import_string(settings.PAYMENT_GATEWAY)()


def reset_gateway() -> None:
    get_gateway.cache_clear()
