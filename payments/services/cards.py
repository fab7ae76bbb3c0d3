"""Card payments: one charge per instalment by construction.

An attempt is recorded, with its own idempotency key, under the instalment's row lock before the gateway is
called, and an instalment has at most one attempt under way (a database constraint): a second click, a second
tab or a parallel submit gets the attempt under way, never a new charge. Whatever instant the process dies at,
the attempt can be matched with the gateway's record by its key (sent as metadata), so the webhook, the status
check of the payer's page and reconciliation all find the truth (`payment_refresh`).
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.faults import crash_point
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import BindingAct, organisation_ids_of, require_signatory
from payments.gateways import get_gateway
from payments.gateways.base import ChargeRequest, ChargeState, GatewayError, PaymentDeclined
from payments.models import Instalment, Payment, PaymentMethod, SavedCard
from payments.models import PaymentStatus as S
from payments.services.common import (
    lock_deal_of,
    open_payment_of,
    require_buyer,
    require_payable,
    require_payer_signatory,
    yuan,
)
from payments.services.receipts import payment_record_failure, payment_record_success
from payments.services.status import payment_attempt_create, payment_set_status

logger = logging.getLogger(__name__)

# The gateway's own answer is looked for this long before the charge's creation time, in case of clock skew.
CLOCK_SKEW_SECONDS = 300


def new_idempotency_key(kind: str) -> str:
    return f"ipx-{kind}-{uuid.uuid4().hex}"


def _require_card_amount(instalment: Instalment) -> None:
    limit = get_gateway().max_charge_fen
    if instalment.amount_fen > limit:
        raise ValidationError(
            _(
                "%(amount)s yuan is more than a single card payment can carry (at most %(limit)s yuan): "
                "please pay by bank transfer; a broker records it."
            )
            % {"amount": yuan(instalment.amount_fen), "limit": yuan(limit)},
            code="over_card_limit",
        )


def _require_own_card(card: SavedCard, actor) -> None:
    if card.organisation_id not in organisation_ids_of(actor) or not card.active:
        raise PermissionDenied(_("This saved card is not one of your organisation's."))


def card_payment_start(
    *, instalment: Instalment, actor, token: str = "", saved_card: SavedCard | None = None, automatic: bool = False
) -> tuple[Payment, bool]:
    """Charge a card for one instalment, or return the attempt already under way. Returns the payment and
    whether this call started it.

    The attempt is committed (status pending) before the gateway is called; `card_payment_send` then asks the
    gateway. If the gateway's answer is lost, the attempt stays pending until its truth is found.
    """
    with transaction.atomic():
        instalment = (
            Instalment.objects.select_for_update(of=("self",))
            .select_related("deal", "deal__buyer", "payer")
            .get(pk=instalment.pk)
        )
        lock_deal_of(instalment)
        require_buyer(instalment, actor)
        under_way = open_payment_of(instalment)
        if under_way is not None:
            return under_way, False
        # An automatic charge runs in the name of the signatory who asked for it: their authority must still hold.
        require_payer_signatory(instalment, actor)
        require_payable(instalment)
        _require_card_amount(instalment)
        if saved_card is not None:
            _require_own_card(saved_card, actor)
            method_reference = saved_card.payment_method_reference
        elif not token or len(token) > 200:
            raise ValidationError(_("The card details did not reach us; please enter them again."))
        else:
            method_reference = token
        payment = payment_attempt_create(
            instalment=instalment,
            actor=actor,
            note="automatic payment of a due instalment" if automatic else "",
            method=PaymentMethod.CARD,
            amount_fen=instalment.amount_fen,
            status=S.PENDING,
            gateway=get_gateway().name,
            idempotency_key=new_idempotency_key("pay"),
            payment_method_reference=method_reference,
            saved_card=saved_card,
            automatic=automatic,
        )
    crash_point("payments.card.before_gateway")
    return card_payment_send(payment=payment), True


def charge_request(payment: Payment) -> ChargeRequest:
    """The request for an attempt: the same every time it is sent, so a retry is the same request."""
    instalment = payment.instalment
    card = payment.saved_card
    metadata = {
        "payment_id": str(payment.pk),
        "attempt_key": payment.idempotency_key,
        "instalment_id": str(instalment.pk),
    }
    if instalment.is_deposit:
        description = f"Auction deposit {instalment.reference or instalment.pk}"
        metadata["deposit_reference"] = instalment.reference or ""
    else:
        description = f"Deal {instalment.deal_id} {instalment.kind} #{instalment.sequence}"
        metadata["deal_id"] = str(instalment.deal_id)
    return ChargeRequest(
        amount_fen=payment.amount_fen,
        currency=settings.PAYMENT_CURRENCY,
        payment_method_token=payment.payment_method_reference,
        description=description,
        idempotency_key=payment.idempotency_key,
        metadata=metadata,
        customer_reference=card.customer_reference if card else "",
        off_session=payment.automatic,
    )


def card_payment_send(*, payment: Payment) -> Payment:
    """Ask the gateway to charge a pending attempt and record its answer. A declined card ends the attempt; an
    answer that never came leaves it pending (the gateway may have charged), for `payment_refresh` to settle."""
    try:
        state = get_gateway().charge(charge_request(payment))
    except PaymentDeclined as error:
        payment_record_failure(payment=payment, message=error.message)
        raise ValidationError(_("The card was declined: %(reason)s") % {"reason": error.message}) from None
    except GatewayError as error:
        if not error.outcome_unknown:
            payment_record_failure(payment=payment, message=error.message)
            raise ValidationError(
                _("The payment service refused the request; nothing was charged. Try again.")
            ) from None
        logger.warning("No answer from the gateway for payment %s (%s): left pending", payment.pk, error.message)
        Payment.objects.filter(pk=payment.pk).update(checked_at=timezone.now())
        payment.refresh_from_db()
        return payment
    crash_point("payments.card.after_gateway")
    return payment_apply_gateway_state(payment=payment, state=state)


@transaction.atomic
def payment_apply_gateway_state(*, payment: Payment, state: ChargeState, actor=None) -> Payment:
    """Bring a card payment in line with what the gateway says about its charge."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.gateway_reference and payment.gateway_reference != state.reference:
        # A second charge for one attempt: only a gateway that ignored the idempotency key makes one.
        return payment_adopt_duplicate_charge(attempt=payment, state=state)
    if state.amount_fen != payment.amount_fen:
        logger.error(
            "Gateway charge %s is %s fen, payment %s is %s",
            state.reference,
            state.amount_fen,
            payment.pk,
            payment.amount_fen,
        )
        return payment  # reconciliation reports it; nothing is booked on a disagreement about the amount
    if not payment.gateway_reference:
        payment.gateway_reference = state.reference
        payment.save(update_fields=["gateway_reference"])
    if state.status == "succeeded":
        payment = payment_record_success(payment=payment, actor=actor, note=f"gateway {state.reference}")
    elif state.status in ("failed", "cancelled") and payment.is_open:
        to_status = S.CANCELLED if state.status == "cancelled" else S.FAILED
        payment = payment_record_failure(payment=payment, message=state.status, to_status=to_status, actor=actor)
    elif state.status in (S.REQUIRES_ACTION, S.PROCESSING) and payment.is_open and payment.status != state.status:
        payment = payment_set_status(payment=payment, to_status=state.status, actor=actor)
    else:
        Payment.objects.filter(pk=payment.pk).update(checked_at=timezone.now())
    crash_point("payments.card.before_commit")
    return payment


@transaction.atomic
def payment_adopt_duplicate_charge(*, attempt: Payment, state: ChargeState) -> Payment:
    """A charge at the gateway that belongs to one of our attempts but is not the charge we recorded for it:
    recorded as a payment of its own (surplus once it succeeded), so a broker sees it and refunds it."""
    existing = Payment.objects.filter(gateway_reference=state.reference).first()
    if existing is not None:
        return existing
    instalment = Instalment.objects.select_for_update().get(pk=attempt.instalment_id)
    duplicate = payment_attempt_create(
        instalment=instalment,
        created_by=attempt.created_by,
        note=f"found at the gateway: a second charge for attempt {attempt.attempt}",
        method=PaymentMethod.CARD,
        amount_fen=state.amount_fen,
        status=S.FAILED,
        gateway=attempt.gateway,
        gateway_reference=state.reference,
        failure_message=f"a second charge for attempt {attempt.attempt}",
    )
    if state.status == "succeeded":
        return payment_record_success(payment=duplicate, note="a second charge for one attempt: to be refunded")
    return duplicate


def payment_refresh(*, payment: Payment, stale_after: timedelta | None = None) -> Payment:
    """Find the truth about an open card attempt: the gateway's charge by its reference, or by the attempt's
    key when the answer was lost. An attempt the gateway has no trace of after `stale_after` (longer than a
    request can take) never reached it: it fails, nothing was charged, and the payer may try again."""
    if payment.method != PaymentMethod.CARD or not payment.is_open:
        return payment
    gateway = get_gateway()
    if payment.gateway_reference:
        return payment_apply_gateway_state(payment=payment, state=gateway.retrieve(payment.gateway_reference))
    created_after = int(payment.created_at.timestamp()) - CLOCK_SKEW_SECONDS
    state = gateway.find_charge(attempt_key=payment.idempotency_key, created_after=created_after)
    if state is not None:
        return payment_apply_gateway_state(payment=payment, state=state)
    if stale_after is None:
        stale_after = timedelta(seconds=settings.PAYMENT_ATTEMPT_STALE_SECONDS)
    if timezone.now() - payment.created_at >= stale_after:
        return payment_record_failure(
            payment=payment, message=_("The payment never reached the payment service; nothing was charged.")
        )
    Payment.objects.filter(pk=payment.pk).update(checked_at=timezone.now())
    payment.refresh_from_db()
    return payment


def card_attempt_cancel(*, payment: Payment, actor) -> Payment:
    """The payer gives up an attempt that waits for their bank's confirmation, to pay another way."""
    require_buyer(payment.instalment, actor)
    if payment.method != PaymentMethod.CARD or payment.status != S.REQUIRES_ACTION:
        raise ValidationError(_("Only a card payment waiting for your bank's confirmation can be cancelled."))
    state = get_gateway().cancel(payment.gateway_reference)
    return payment_apply_gateway_state(payment=payment, state=state, actor=actor)


# --- Saved cards --------------------------------------------------------------------------------------------


def saved_cards_of(actor):
    return SavedCard.objects.filter(organisation_id__in=organisation_ids_of(actor), active=True)


def saved_card_add(*, organisation_id: int, actor, token: str, auto_pay: bool = False) -> SavedCard:
    """Keep a card at the gateway for the organisation's later payments (one gateway customer per
    organisation). The number never reaches us: the browser's token is handed to the gateway."""
    if organisation_id not in organisation_ids_of(actor):
        raise PermissionDenied(_("Only members of the organisation keep a card for it."))
    require_signatory(actor, Organisation.objects.get(pk=organisation_id), BindingAct.PAY)
    if not token or len(token) > 200:
        raise ValidationError(_("The card details did not reach us; please enter them again."))
    gateway = get_gateway()
    customer = (
        SavedCard.objects.filter(organisation_id=organisation_id, gateway=gateway.name)
        .values_list("customer_reference", flat=True)
        .first()
    )
    try:
        details = gateway.save_card(
            token=token, customer_reference=customer or "", description=f"organisation {organisation_id}"
        )
    except PaymentDeclined as error:
        raise ValidationError(_("The card was declined: %(reason)s") % {"reason": error.message}) from None
    except GatewayError:
        raise ValidationError(
            _("The payment service could not keep the card; nothing was charged. Try again.")
        ) from None
    card = SavedCard(
        organisation_id=organisation_id,
        gateway=gateway.name,
        customer_reference=details.customer_reference,
        payment_method_reference=details.payment_method_reference,
        brand=details.brand,
        last4=details.last4,
        exp_month=details.exp_month,
        exp_year=details.exp_year,
        auto_pay=auto_pay,
        created_by=actor,
    )
    card.full_clean()
    card.save()
    return card


def saved_card_set_auto_pay(*, card: SavedCard, actor, auto_pay: bool) -> SavedCard:
    """Turning automatic payment on commits the organisation's money: a signatory's decision. Anyone of the
    organisation may turn it off."""
    _require_own_card(card, actor)
    if auto_pay:
        require_signatory(actor, card.organisation, BindingAct.PAY)
    card.auto_pay = auto_pay
    card.save(update_fields=["auto_pay"])
    return card


def saved_card_remove(*, card: SavedCard, actor) -> None:
    """Forget a card: no later charge uses it. The gateway is asked to forget it too; if it cannot be reached,
    the card stays unused here all the same."""
    _require_own_card(card, actor)
    SavedCard.objects.filter(pk=card.pk).update(active=False, auto_pay=False)
    _forget_at_gateway(card)


def _forget_at_gateway(card: SavedCard) -> None:
    try:
        get_gateway().remove_card(
            customer_reference=card.customer_reference, payment_method_reference=card.payment_method_reference
        )
    except GatewayError as error:
        logger.warning("Saved card %s forgotten here but not at the gateway: %s", card.pk, error.message)


def saved_cards_retire(*, user) -> list[int]:
    """The cards the person saved stop being used (their account is closing): they may be the person's own,
    which nobody else should go on charging. The organisation's other members can save a card of their own.
    Returns the cards' ids, for `saved_cards_forget_at_gateway` once the closing has committed."""
    ids = list(SavedCard.objects.filter(created_by=user, active=True).values_list("pk", flat=True))
    SavedCard.objects.filter(pk__in=ids).update(active=False, auto_pay=False)
    return ids


def saved_cards_forget_at_gateway(*, card_ids: list[int]) -> None:
    """Ask the gateway to forget retired cards (outside any transaction: it is a call over the network)."""
    for card in SavedCard.objects.filter(pk__in=card_ids, active=False):
        _forget_at_gateway(card)


def card_payment_submit(
    *,
    instalment: Instalment,
    actor,
    token: str = "",
    saved_card: SavedCard | None = None,
    save_card: bool = False,
    auto_pay: bool = False,
) -> tuple[Payment, bool]:
    """What the pay button does: optionally keep the new card for later, then charge it (or the saved card)."""
    if save_card and token and saved_card is None:
        with transaction.atomic():
            locked = (
                Instalment.objects.select_for_update(of=("self",)).select_related("deal", "payer").get(pk=instalment.pk)
            )
            lock_deal_of(locked)
            require_buyer(locked, actor)
            under_way = open_payment_of(locked)
        if under_way is not None:
            return under_way, False  # the token is not spent on a card that would not be charged now
        saved_card = saved_card_add(
            organisation_id=locked.payer_organisation_id, actor=actor, token=token, auto_pay=auto_pay
        )
        token = ""
    return card_payment_start(instalment=instalment, actor=actor, token=token, saved_card=saved_card)
