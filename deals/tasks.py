"""Background tasks of the deals app, run by the task runner. Each is idempotent."""

import logging
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.tasks import task
from django.utils import timezone

from deals.contracts.signing import TimestampUnavailable
from deals.models import Deal
from deals.selectors import deals_awaiting_seal
from deals.services.contracts import contract_seal
from deals.services.notices import price_notices_clear_due

# A contract signed moments ago is being sealed by its own task; the sweep leaves it that long.
UNSEALED_GRACE = timedelta(minutes=2)

logger = logging.getLogger(__name__)


@task
def seal_contract(*, deal_id: int) -> str:
    """The platform signs the final contract of a deal both parties have signed; returns the signed PDF's
    SHA-256. Running it again returns the same signature.

    When the timestamp authority does not answer, nothing is signed and "" is returned: a contract sealed without
    its trusted time would be a lesser one, and seal_unsealed_contracts tries again (the runner does not retry a
    failed task by itself)."""
    try:
        return contract_seal(deal=Deal.objects.get(pk=deal_id)).sha256
    except TimestampUnavailable as error:
        logger.warning("Deal %s: the timestamp authority did not answer (%s); sealing later", deal_id, error)
        return ""


@task
def seal_unsealed_contracts() -> int:
    """Periodic: seal every contract both parties signed that the platform has not signed yet (the timestamp
    authority was down, or a runner died mid-seal); returns how many it sealed. Stops at the first authority
    failure rather than asking a server that is down once per deal."""
    sealed = 0
    for deal in deals_awaiting_seal(signed_before=timezone.now() - UNSEALED_GRACE):
        try:
            contract_seal(deal=deal)
        except TimestampUnavailable as error:
            logger.warning("The timestamp authority did not answer (%s); %d contracts sealed this round", error, sealed)
            break
        except ImproperlyConfigured:
            raise  # no signing key: every deal would fail the same way, and the runner's log must say so
        except Exception:
            # One deal that cannot be sealed (its data breaks the contract) must not hold back the others.
            logger.exception("Deal %s: the contract could not be sealed", deal.pk)
            continue
        sealed += 1
    return sealed


@task
def clear_price_notices() -> int:
    """Periodic: clear the agreed-price notices whose period ended with no objection under review, and tell the
    parties they may sign; returns how many it cleared. Running it again clears nothing more."""
    return price_notices_clear_due()
