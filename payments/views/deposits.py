"""An auction deposit's page (竞买保证金): where the bidder pays it, by card or bank transfer, and where the staff of
the centre holding it record and confirm its transfer. The deal payment page's flow and forms, for one instalment
that belongs to no deal (yet). Payments does not import auctions: the round is reached through the deposit's
reverse accessor only."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import BindingAct, organisation_ids_of, signing_refusal
from payments.forms import BankTransferForm, TransferDeclarationForm
from payments.gateways import get_gateway
from payments.models import BankTransfer, Instalment, InstalmentKind, Payment, PaymentMethod, PaymentStatus, SavedCard
from payments.services import bank_transfer_declare, bank_transfer_record, transfer_reference
from payments.services.transfers import collection_account_of_centre
from payments.views.cards import card_attempt_cancel_answer, card_payment_answer, instalment_status_answer
from payments.views.transfers import (
    DECLARED,
    RECORDED,
    evidence_answer,
    transfer_confirm_answer,
    transfer_form_answer,
    transfer_reject_answer,
    transfer_withdraw_answer,
)


def deposit_for(request, instalment_pk: int) -> Instalment:
    """The deposit, to the members of the organisation that owes it and to the staff of the centre holding it
    (or of a centre above); to anyone else, and for any instalment that is not a deposit, not found."""
    instalment = get_object_or_404(
        Instalment.objects.select_related("payer", "centre", "deal"), pk=instalment_pk, kind=InstalmentKind.DEPOSIT
    )
    user = request.user
    if instalment.payer_id in organisation_ids_of(user) or staff_scope(user).covers(instalment.hosting_centre_id):
        return instalment
    raise Http404


def _saved_cards(user, instalment: Instalment):
    """The paying organisation's cards, for its own members."""
    if instalment.payer_id not in organisation_ids_of(user):
        return SavedCard.objects.none()
    return SavedCard.objects.filter(organisation_id=instalment.payer_id, active=True)


def _page(instalment: Instalment) -> str:
    return reverse("payments:deposit", args=[instalment.pk])


def _same_deposit(instalment: Instalment):
    """The forms name their instalment (as on a deal's page): on this page it can only be this deposit."""

    def instalment_of(number: int) -> Instalment:
        if number != instalment.pk:
            raise Http404
        return instalment

    return instalment_of


def _transfer_of(request, instalment_pk: int, payment_pk: int) -> Payment:
    instalment = deposit_for(request, instalment_pk)
    return get_object_or_404(Payment, pk=payment_pk, instalment=instalment, method=PaymentMethod.BANK_TRANSFER)


def _round_of(instalment: Instalment):
    """The bidding round the deposit is for, if the auctions app made it (a reverse accessor, not an import)."""
    link = getattr(instalment, "auction_deposit", None)
    return getattr(link, "round", None)


@login_required
@require_GET
def deposit_page(request, instalment_pk: int):
    instalment = deposit_for(request, instalment_pk)
    is_payer = instalment.payer_id in organisation_ids_of(request.user)
    # A member of the bidder who is not its signatory sees what is due and who can pay it, not the pay forms.
    pay_refusal = signing_refusal(request.user, instalment.payer, BindingAct.PAY) if is_payer else ""
    is_staff = staff_scope(request.user).covers(instalment.hosting_centre_id)
    instalment.under_way = next((p for p in instalment.payments.all() if p.is_open), None)
    instalment.transfer_reference = transfer_reference(instalment)
    awaiting = (
        instalment.payments.filter(status=PaymentStatus.AWAITING_CONFIRMATION).select_related(
            "bank_transfer", "bank_transfer__recorded_by"
        )
        if is_staff
        else []
    )
    context = {
        "instalment": instalment,
        "round": _round_of(instalment),
        "schedule": [instalment],
        "is_buyer": is_payer,
        "can_pay": is_payer and not pay_refusal,
        "pay_refusal": pay_refusal,
        "is_staff": is_staff,
        "card_limit_fen": get_gateway().max_charge_fen,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "saved_cards": list(_saved_cards(request.user, instalment)),
        "collection_account": collection_account_of_centre(instalment.centre),
        "awaiting": list(awaiting),
    }
    return render(request, "payments/deposit.html", context)


@login_required
@require_POST
def deposit_pay_by_card(request, instalment_pk: int):
    instalment = deposit_for(request, instalment_pk)
    return card_payment_answer(
        request,
        instalment_of=_same_deposit(instalment),
        saved_cards=_saved_cards(request.user, instalment),
        back=_page(instalment),
    )


@never_cache
@login_required
@require_GET
def deposit_status(request, instalment_pk: int):
    return instalment_status_answer(request, deposit_for(request, instalment_pk))


@login_required
@require_POST
def deposit_cancel_card_attempt(request, instalment_pk: int, payment_pk: int):
    instalment = deposit_for(request, instalment_pk)
    payment = get_object_or_404(Payment, pk=payment_pk, instalment=instalment, method=PaymentMethod.CARD)
    return card_attempt_cancel_answer(request, payment, back=_page(instalment))


@login_required
@require_POST
def deposit_declare_transfer(request, instalment_pk: int):
    instalment = deposit_for(request, instalment_pk)
    return transfer_form_answer(
        request,
        TransferDeclarationForm,
        bank_transfer_declare,
        _(DECLARED),
        instalment_of=_same_deposit(instalment),
        back=_page(instalment),
    )


@login_required
@require_POST
def deposit_withdraw_transfer(request, instalment_pk: int, payment_pk: int):
    payment = _transfer_of(request, instalment_pk, payment_pk)
    return transfer_withdraw_answer(request, payment, back=_page(payment.instalment))


@login_required
@require_POST
def deposit_record_transfer(request, instalment_pk: int):
    instalment = deposit_for(request, instalment_pk)
    return transfer_form_answer(
        request,
        BankTransferForm,
        bank_transfer_record,
        _(RECORDED),
        instalment_of=_same_deposit(instalment),
        back=_page(instalment),
    )


@login_required
@require_POST
def deposit_confirm_transfer(request, instalment_pk: int, payment_pk: int):
    payment = _transfer_of(request, instalment_pk, payment_pk)
    return transfer_confirm_answer(request, payment, back=_page(payment.instalment))


@login_required
@require_POST
def deposit_reject_transfer(request, instalment_pk: int, payment_pk: int):
    payment = _transfer_of(request, instalment_pk, payment_pk)
    return transfer_reject_answer(request, payment, back=_page(payment.instalment))


@login_required
@require_GET
def deposit_transfer_evidence(request, instalment_pk: int, payment_pk: int):
    """The slip or bank receipt behind a deposit's transfer, to the people who may see the deposit."""
    instalment = deposit_for(request, instalment_pk)
    return evidence_answer(get_object_or_404(BankTransfer, payment_id=payment_pk, payment__instalment=instalment))
