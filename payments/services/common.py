"""Rules shared by the payment services: who may pay or handle money, and when an instalment can be paid."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from deals.models import Deal, DealStatus
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import BindingAct, organisation_ids_of, require_signatory
from payments.models import OPEN_PAYMENT_STATES, Instalment, InstalmentStatus, Payment

PAYMENT_TERM_DAYS = 30
PAYABLE_DEAL_STATES = (DealStatus.CONTRACT_SIGNED, DealStatus.REGISTERED, DealStatus.SETTLED, DealStatus.COMPLETED)


def require_buyer(instalment: Instalment, actor) -> None:
    if instalment.deal.buyer_id not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only the buyer pays this deal."))


def require_buyer_signatory(deal: Deal, actor) -> None:
    """Committing the buyer's money (paying, announcing a transfer, reporting sales that make royalties due,
    keeping a card for automatic payment) is for a verified signatory of the buyer; its other members see why."""
    if deal.buyer_id not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only the buyer pays this deal."))
    require_signatory(actor, deal.buyer, BindingAct.PAY)


def require_payable(instalment: Instalment) -> None:
    if instalment.status != InstalmentStatus.DUE:
        raise ValidationError(_("This amount is not due (any more)."))
    if instalment.deal.status not in PAYABLE_DEAL_STATES:
        raise ValidationError(_("Payment opens once both parties have signed the contract."))


def require_hosting_staff(deal: Deal, actor) -> None:
    if not staff_scope(actor).covers(deal.centre_id):
        raise PermissionDenied(_("Only staff of the hosting operation centre handle bank transfers and refunds."))


def open_payment_of(instalment: Instalment) -> Payment | None:
    """The attempt under way for an instalment, if any (there is at most one)."""
    return instalment.payments.filter(status__in=OPEN_PAYMENT_STATES).first()


def next_attempt_number(instalment: Instalment) -> int:
    """Call holding the instalment's row lock."""
    last = instalment.payments.order_by("-attempt").values_list("attempt", flat=True).first()
    return (last or 0) + 1


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"
