"""Rules shared by the payment services: who may pay or handle money, and when an instalment can be paid."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from deals.models import Deal, DealStatus
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import BindingAct, organisation_ids_of, require_signatory
from payments.models import OPEN_PAYMENT_STATES, Instalment, InstalmentStatus, Payment

PAYMENT_TERM_DAYS = 30
PAYABLE_DEAL_STATES = (DealStatus.CONTRACT_SIGNED, DealStatus.REGISTERED, DealStatus.SETTLED, DealStatus.COMPLETED)


def payer_of(instalment: Instalment) -> Organisation:
    """The organisation that pays an instalment: the deal's buyer, or the bidder who owes a deposit."""
    if instalment.is_deposit or instalment.deal_id is None:
        return instalment.payer
    return instalment.deal.buyer


def _refuse_non_payer(instalment: Instalment) -> None:
    if instalment.is_deposit:
        raise PermissionDenied(_("Only the bidder pays this deposit."))
    raise PermissionDenied(_("Only the buyer pays this deal."))


def require_buyer(instalment: Instalment, actor) -> None:
    """The actor is a member of the organisation that pays the instalment (its buyer, or a deposit's bidder)."""
    if instalment.payer_organisation_id not in organisation_ids_of(actor):
        _refuse_non_payer(instalment)


def require_payer_signatory(instalment: Instalment, actor) -> None:
    """Committing the payer's money is for a verified signatory of the organisation that pays the instalment
    (the deal's buyer, or the bidder owing a deposit); its other members see why."""
    require_buyer(instalment, actor)
    require_signatory(actor, payer_of(instalment), BindingAct.PAY)


def require_payable(instalment: Instalment) -> None:
    """Due, and for a deal's instalment, once the contract is signed (a deposit is paid before any deal)."""
    if instalment.status != InstalmentStatus.DUE:
        raise ValidationError(_("This amount is not due (any more)."))
    if instalment.is_deposit:
        return
    if instalment.deal.status not in PAYABLE_DEAL_STATES:
        raise ValidationError(_("Payment opens once both parties have signed the contract."))


def require_hosting_staff(deal: Deal, actor) -> None:
    require_centre_staff(deal.centre_id, actor)


def require_instalment_staff(instalment: Instalment, actor) -> None:
    """Staff of the centre hosting the instalment's deal, or holding its deposit."""
    require_centre_staff(instalment.hosting_centre_id, actor)


def require_centre_staff(centre_id: int | None, actor) -> None:
    if centre_id is None or not staff_scope(actor).covers(centre_id):
        raise PermissionDenied(_("Only staff of the hosting operation centre handle bank transfers and refunds."))


def lock_deal_of(instalment: Instalment) -> None:
    """Lock the row of the instalment's deal, if it has one, after the instalment's own. The deal is nullable (an
    auction deposit has none), and PostgreSQL cannot lock the nullable side of an outer join: callers lock their
    own rows with `select_for_update(of=...)` and the deal's row here, so payments of one deal still queue on it
    (the last one to be paid sees the others paid and settles the deal)."""
    if instalment.deal_id is not None:
        list(Deal.objects.select_for_update().filter(pk=instalment.deal_id).values_list("pk", flat=True))


def open_payment_of(instalment: Instalment) -> Payment | None:
    """The attempt under way for an instalment, if any (there is at most one)."""
    return instalment.payments.filter(status__in=OPEN_PAYMENT_STATES).first()


def next_attempt_number(instalment: Instalment) -> int:
    """Call holding the instalment's row lock."""
    last = instalment.payments.order_by("-attempt").values_list("attempt", flat=True).first()
    return (last or 0) + 1


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"
