"""Deployment checks of contract signing: a production that cannot sign contracts would find out only when the
first deal's both signatures are in, in a task runner's log."""

from django.conf import settings
from django.core.checks import Info, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def contract_signing_is_configured(app_configs, **kwargs):
    from deals.contracts.signing import platform_signer

    messages = []
    configured = settings.CONTRACT_SIGNING_PKCS12 or (settings.CONTRACT_SIGNING_KEY and settings.CONTRACT_SIGNING_CERT)
    if not configured and not settings.CONTRACT_SIGNING_SELF_SIGNED:
        messages.append(
            Warning(
                "No key and certificate for signing contracts: the platform cannot seal a final contract.",
                hint="Set CONTRACT_SIGNING_PKCS12 (and CONTRACT_SIGNING_PASSPHRASE), or CONTRACT_SIGNING_KEY and "
                "CONTRACT_SIGNING_CERT.",
                id="deals.W001",
            )
        )
    elif configured:
        platform_signer.cache_clear()
        try:
            platform_signer()
        except (ImproperlyConfigured, OSError, ValueError) as error:
            messages.append(
                Warning(
                    f"The contract-signing key or certificate cannot be read ({error}).",
                    hint="Check the file's path and the passphrase (CONTRACT_SIGNING_PASSPHRASE).",
                    id="deals.W002",
                )
            )
        finally:
            platform_signer.cache_clear()
    if not settings.CONTRACT_SIGNING_TSA_URL:
        messages.append(
            Info(
                "Contracts are signed without a trusted timestamp: their signing time is the platform's own claim.",
                hint="Set CONTRACT_SIGNING_TSA_URL to an RFC 3161 timestamp authority's address.",
                id="deals.I001",
            )
        )
    return messages


# The common minimum period of the public notice of agreed prices (促进科技成果转化法 art. 18; deals.models).
MIN_PRICE_NOTICE_DAYS = 15


@register(deploy=True)
def price_notice_period_is_legal(app_configs, **kwargs):
    """A site that signs public institutions' agreed deals sooner than the notice period would sign them unnoticed."""
    if settings.PRICE_NOTICE_DAYS >= MIN_PRICE_NOTICE_DAYS:
        return []
    return [
        Warning(
            f"PRICE_NOTICE_DAYS is {settings.PRICE_NOTICE_DAYS}: agreed prices of public universities and institutes "
            f"would be noticed for less than {MIN_PRICE_NOTICE_DAYS} days before their contracts are signed.",
            hint=f"Set PRICE_NOTICE_DAYS to {MIN_PRICE_NOTICE_DAYS} or more (only throwaway test sites set less).",
            id="deals.W003",
        )
    ]
