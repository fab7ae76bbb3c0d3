"""The deal lifecycle: agreed → contract signed → registered / settled → completed, or cancelled.

Registration (by a broker) and settlement (reported by the payments app, or a recorded share registration for
equity) may happen in either order; the deal completes when both have. Completion sends `deal_completed`, the
only coupling to the indicators.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import (
    ContractRegistration,
    ContractType,
    Deal,
    DealEvent,
    DealStatus,
    ExclusiveClaim,
    Negotiation,
    Offer,
    ShareRegistration,
    Side,
)
from deals.selectors import deal_side, participant_user_ids
from deals.services.notices import (
    notice_signing_refusal,
    price_notice_clear_if_due,
    price_notice_publish,
    price_notice_required,
    price_notice_withdraw,
)
from deals.services.rooms import notify_people_on_commit
from deals.signals import deal_agreed, deal_completed, deal_reversed, deal_status_changed
from listings.models import CloseReason, Mode
from listings.services import listing_close_mode, listing_reopen_mode
from marketplace.organisations.selectors import BindingAct, require_signatory

D = DealStatus
SYSTEM = "system"
# Loaded by the services themselves; full_clean would ask the database for each again.
DEAL_RELATIONS = ("negotiation", "offer", "listing", "buyer", "seller", "centre")

# (from, to) -> who may make the move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (D.AGREED, D.CONTRACT_SIGNED): frozenset({Side.BUYER, Side.SELLER}),  # when both have signed
    (D.CONTRACT_SIGNED, D.REGISTERED): frozenset({Side.BROKER}),
    (D.CONTRACT_SIGNED, D.SETTLED): frozenset({SYSTEM, Side.BROKER}),
    (D.REGISTERED, D.COMPLETED): frozenset({SYSTEM, Side.BROKER}),  # settled after registration
    (D.SETTLED, D.COMPLETED): frozenset({Side.BROKER}),  # registered after settlement
    (D.AGREED, D.CANCELLED): frozenset({Side.BUYER, Side.SELLER, Side.BROKER}),
    (D.CONTRACT_SIGNED, D.CANCELLED): frozenset({Side.BROKER}),
    (D.REGISTERED, D.CANCELLED): frozenset({Side.BROKER}),
    (D.SETTLED, D.CANCELLED): frozenset({Side.BROKER}),
    (D.COMPLETED, D.CANCELLED): frozenset({Side.BROKER}),  # reversed, never edited away
}


def _move(deal: Deal, to_status: str, actor, *, note: str = "") -> Deal:
    """Apply one move of the table; the caller holds the deal's row lock."""
    who = TRANSITIONS.get((deal.status, to_status))
    if who is None:
        raise ValidationError(
            _("A deal that is “%(from)s” cannot become “%(to)s”.")
            % {"from": D(deal.status).label, "to": D(to_status).label},
            code="invalid_transition",
        )
    side = SYSTEM if actor is None else deal_side(deal, actor)
    if side not in who:
        raise PermissionDenied(_("You may not make this change to the deal."))
    from_status = deal.status
    deal.status = to_status
    if to_status == D.COMPLETED:
        deal.completed_at = timezone.now()
    deal.full_clean(exclude=DEAL_RELATIONS, validate_constraints=False)
    deal.save()
    DealEvent.objects.create(deal=deal, from_status=from_status, to_status=to_status, actor=actor, note=note)
    deal_status_changed.send(sender=Deal, deal=deal, from_status=from_status, to_status=to_status)
    if to_status == D.COMPLETED:
        deal_completed.send(sender=Deal, deal=deal)
    elif from_status == D.COMPLETED and to_status == D.CANCELLED:
        deal_reversed.send(sender=Deal, deal=deal, reason=note)
    # The person who made the change is looking at it already.
    notify_people_on_commit(
        participant_user_ids(deal.negotiation) - ({actor.pk} if actor else set()),
        {
            "message": _("Deal #%(id)s is now “%(status)s”.") % {"id": deal.pk, "status": D(to_status).label},
            "url": f"/deals/{deal.pk}/",
        },
    )
    return deal


def _locked(deal: Deal) -> Deal:
    return Deal.objects.select_for_update().get(pk=deal.pk)


def deal_create_from_offer(*, negotiation: Negotiation, offer: Offer, actor, priced_by_agreement: bool = True) -> Deal:
    """Called inside offer acceptance. For an exclusive or sole licence, a transfer or an equity contribution
    it takes an exclusive claim on every patent of the listing; the unique index on active claims means that of
    two negotiations accepting at the same moment exactly one gets its deal, the other an error.

    A price set by agreement (every negotiated deal) with a public university or institute seller is publicly
    noticed before the contract may be signed (deals.services.notices); a deal whose price an auction found passes
    priced_by_agreement=False and needs no notice."""
    listing = negotiation.listing
    deal = Deal(
        negotiation=negotiation,
        offer=offer,
        listing=listing,
        mode=negotiation.mode,
        licence_type=offer.licence_type,
        buyer=negotiation.buyer,
        seller=listing.seller,
        centre=listing.centre,
    )
    deal.full_clean(exclude=DEAL_RELATIONS, validate_constraints=False)
    deal.save()
    DealEvent.objects.create(deal=deal, from_status="", to_status=D.AGREED, actor=actor)
    if deal.is_exclusive:
        try:
            with transaction.atomic():
                ExclusiveClaim.objects.bulk_create(
                    [ExclusiveClaim(patent=patent, deal=deal) for patent in listing.patents.all()]
                )
        except IntegrityError:
            raise ValidationError(
                _(
                    "Another negotiation has just closed an exclusive deal on this patent; this offer can no longer "
                    "be accepted."
                ),
                code="exclusive_taken",
            ) from None
        reason = (
            CloseReason.TRANSFERRED if deal.mode in (Mode.TRANSFER, Mode.EQUITY) else CloseReason.EXCLUSIVELY_LICENSED
        )
        listing_close_mode(listing=listing, mode=deal.mode, close_reason=reason)
    if price_notice_required(deal, priced_by_agreement=priced_by_agreement):
        price_notice_publish(deal=deal, actor=actor)
    deal_agreed.send(sender=Deal, deal=deal)
    return deal


@transaction.atomic
def deal_sign(*, deal: Deal, actor) -> Deal:
    """A verified signatory of the buyer or of the seller signs the contract generated from the accepted terms,
    for their organisation; the signer and the moment are recorded per side. Signed when both sides have."""
    deal = _locked(deal)
    side = deal_side(deal, actor)
    if side not in (Side.BUYER, Side.SELLER):
        raise PermissionDenied(_("Only the buyer and the seller sign the contract."))
    if deal.status != D.AGREED:
        raise ValidationError(_("The contract can only be signed while the deal is agreed."))
    require_signatory(actor, deal.buyer if side == Side.BUYER else deal.seller, BindingAct.SIGN)
    refusal = notice_signing_refusal(deal)
    if refusal:
        raise ValidationError(refusal, code="price_notice")
    notice = getattr(deal, "price_notice", None)
    if notice is not None:
        # The period is over with no objection under review; the periodic sweep may not have passed yet.
        price_notice_clear_if_due(notice=notice)
    if getattr(deal, f"{side}_signed_at") is None:
        setattr(deal, f"{side}_signed_at", timezone.now())
        setattr(deal, f"{side}_signed_by", actor)
        deal.save(update_fields=[f"{side}_signed_at", f"{side}_signed_by"])
    if deal.buyer_signed_at and deal.seller_signed_at:
        _move(deal, D.CONTRACT_SIGNED, actor)
    return deal


def contract_type_for(deal: Deal) -> str:
    return {Mode.LICENCE: ContractType.LICENSING, Mode.TRANSFER: ContractType.TRANSFER}.get(
        deal.mode, ContractType.TRANSFER
    )


@transaction.atomic
def deal_register(
    *,
    deal: Deal,
    actor,
    number: str,
    registered_on: date,
    contract_type: str,
    contract_total_fen: int,
    technology_amount_fen: int,
) -> Deal:
    """A broker records the technology-contract registration (技术合同认定登记)."""
    deal = _locked(deal)
    if deal_side(deal, actor) != Side.BROKER:
        raise PermissionDenied(_("Only a broker of the hosting centre records the registration."))
    if deal.status not in (D.CONTRACT_SIGNED, D.SETTLED):
        raise ValidationError(_("Register the contract after both parties have signed it."))
    if technology_amount_fen > contract_total_fen:
        raise ValidationError(_("The technology transaction amount cannot exceed the contract total."))
    if registered_on > timezone.localdate():
        raise ValidationError(_("The registration date cannot be in the future."))
    registration = ContractRegistration(
        deal=deal,
        number=number.strip(),
        registered_on=registered_on,
        contract_type=contract_type,
        contract_total_fen=contract_total_fen,
        technology_amount_fen=technology_amount_fen,
        recorded_by=actor,
    )
    registration.full_clean()
    registration.save()
    deal.registered_at = timezone.now()
    deal.save(update_fields=["registered_at"])
    if deal.status == D.SETTLED:
        return _move(deal, D.COMPLETED, actor, note=_("Registered after settlement."))
    return _move(deal, D.REGISTERED, actor)


@transaction.atomic
def deal_mark_settled(*, deal: Deal, actor=None, note: str = "") -> Deal:
    """Everything due is paid (reported by the payments app, actor None) or, for equity, the shares are
    registered. Idempotent: settling a settled or completed deal changes nothing."""
    deal = _locked(deal)
    if deal.settled_at is not None:
        return deal
    if deal.status not in (D.CONTRACT_SIGNED, D.REGISTERED):
        raise ValidationError(_("Only a signed contract can be settled."))
    deal.settled_at = timezone.now()
    deal.save(update_fields=["settled_at"])
    if deal.status == D.REGISTERED:
        return _move(deal, D.COMPLETED, actor, note=note or _("Settled after registration."))
    return _move(deal, D.SETTLED, actor, note=note)


@transaction.atomic
def equity_record_share_registration(
    *, deal: Deal, actor, company: str, share_percent, registered_on: date, reference: str
) -> Deal:
    if deal.mode != Mode.EQUITY:
        raise ValidationError(_("Only an equity deal settles on a share registration."))
    if deal_side(deal, actor) != Side.BROKER:
        raise PermissionDenied(_("Only a broker of the hosting centre records the share registration."))
    record = ShareRegistration(
        deal=deal,
        company=company.strip(),
        share_percent=share_percent,
        registered_on=registered_on,
        reference=reference.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    return deal_mark_settled(deal=deal, actor=actor, note=_("Shares registered: %(ref)s") % {"ref": record.reference})


@transaction.atomic
def deal_cancel(*, deal: Deal, actor, reason: str) -> Deal:
    """Cancel with a reason: a party's verified signatory (while the deal is only agreed) or a broker. A completed
    deal is reversed (deal_reversed), never edited away; exclusive claims are released and the mode goes back on
    the market if the listing still is."""
    deal = _locked(deal)
    side = deal_side(deal, actor)
    if side in (Side.BUYER, Side.SELLER) and side in TRANSITIONS.get((deal.status, D.CANCELLED), frozenset()):
        # Walking away from an agreement is the organisation's decision, like entering it.
        require_signatory(actor, deal.buyer if side == Side.BUYER else deal.seller, BindingAct.CANCEL)
    if not reason.strip():
        raise ValidationError(_("Say why the deal is cancelled."))
    deal.cancel_reason = reason.strip()
    _move(deal, D.CANCELLED, actor, note=reason.strip())
    price_notice_withdraw(deal=deal, actor=actor, reason=reason.strip())
    if deal.is_exclusive:
        deal.exclusive_claims.update(active=False)
        listing_reopen_mode(listing=deal.listing, mode=deal.mode)
    return deal
