"""Enquiries, the live room, and versioned term sheets."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import (
    Deal,
    DisputeResolution,
    MessageKind,
    Negotiation,
    NegotiationMessage,
    NegotiationStatus,
    Offer,
    OfferStatus,
    PassReason,
    PaymentMode,
    ReadMark,
    RoyaltyBase,
    RoyaltyPeriod,
    Side,
)
from deals.selectors import participant_side
from deals.services.deals import deal_create_from_offer
from deals.services.rooms import room_post
from deals.services.status import negotiation_set_status, offer_set_status, offers_on_the_table_set_status
from deals.templatetags.deal_tags import format_yuan
from listings.models import LicenceType, Listing, ListingTerms, Mode
from marketplace.centres.models import CentreStaff, StaffRole
from marketplace.centres.selectors import ancestor_ids
from marketplace.core.text import require_storable_text
from marketplace.organisations.models import Membership, Organisation
from marketplace.organisations.selectors import (
    BindingAct,
    is_signatory,
    organisation_ids_of,
    require_signatory,
    verified_signatories,
)

MAX_MESSAGE_CHARS = 4000

# How a dispute is settled: a term of every contract, whatever the mode.
DISPUTE_FIELDS = ("dispute_resolution", "arbitration_commission")
# Which offer fields belong to which mode; the others are cleared.
OFFER_FIELDS = {
    Mode.LICENCE: (
        "licence_type",
        "territory",
        "field_of_use",
        "term_years",
        "upfront_fee_fen",
        "royalty_rate",
        "royalty_base",
        "royalty_period",
        "minimum_annual_royalty_fen",
        "payment_mode",
        *DISPUTE_FIELDS,
    ),
    Mode.TRANSFER: ("price_fen", "instalments", *DISPUTE_FIELDS),
    Mode.EQUITY: ("appraised_value_fen", "share_percent", "receiving_company", *DISPUTE_FIELDS),
}
ALL_OFFER_FIELDS = tuple(dict.fromkeys(field for fields in OFFER_FIELDS.values() for field in fields))
MONEY_OFFER_FIELDS = ("upfront_fee_fen", "minimum_annual_royalty_fen", "price_fen", "appraised_value_fen")
MAX_INSTALMENTS = 120
# The smallest instalment of a transfer: a price split into more parts than this allows would give instalments
# of a few fen, or of none (¥0.05 in 120 instalments), which nobody can pay and the schedule cannot hold.
MIN_INSTALMENT_FEN = 100
TEXT_OFFER_FIELDS = {
    "licence_type",
    "territory",
    "field_of_use",
    "payment_mode",
    "receiving_company",
    "royalty_base",
    "royalty_period",
    "dispute_resolution",
    "arbitration_commission",
}


def _require_side(negotiation: Negotiation, actor, allowed=(Side.BUYER, Side.SELLER, Side.BROKER)) -> str:
    side = participant_side(negotiation, actor)
    if side is None or side not in allowed:
        raise PermissionDenied(_("You do not take part in this negotiation."))
    return side


def _require_open(negotiation: Negotiation) -> None:
    if negotiation.status != NegotiationStatus.OPEN:
        raise ValidationError(_("This negotiation has ended."), code="negotiation_closed")


def _broker_for(listing: Listing):
    """The broker who follows a new negotiation: one at the hosting centre, else the nearest centre above."""
    for centre_id in [listing.centre_id, *ancestor_ids(listing.centre)]:
        staff = (
            CentreStaff.objects.filter(centre_id=centre_id, role=StaffRole.BROKER).order_by("id").first()
            or CentreStaff.objects.filter(centre_id=centre_id).order_by("id").first()
        )
        if staff is not None:
            return staff.user
    return None


@transaction.atomic
def negotiation_open(*, listing: Listing, mode: str, actor, buyer: Organisation, message: str = "") -> Negotiation:
    """A member of a buyer organisation enquires on one mode of a published listing. Free, always.

    A second enquiry by the same buyer on the same listing and mode returns the negotiation already open."""
    if buyer.id not in organisation_ids_of(actor):
        raise PermissionDenied(_("You can only enquire for an organisation you belong to."))
    require_storable_text(message)
    listing = Listing.objects.get(pk=listing.pk)  # judge the listing as it is now, not as the caller loaded it
    if buyer.id == listing.seller_id:
        raise ValidationError(_("An organisation cannot enquire on its own listing."))
    if not listing.is_on_market:
        raise ValidationError(_("This listing is not on the market."))
    if not ListingTerms.objects.filter(listing=listing, mode=mode, is_open=True).exists():
        raise ValidationError(_("This listing does not offer that mode (any more)."))
    existing = Negotiation.objects.filter(
        listing=listing, mode=mode, buyer=buyer, status=NegotiationStatus.OPEN
    ).first()
    if existing is not None:
        if message.strip():
            message_post(negotiation=existing, actor=actor, body=message)
        return existing
    negotiation = Negotiation(listing=listing, mode=mode, buyer=buyer, opened_by=actor, broker=_broker_for(listing))
    # The unique index on open negotiations guards against a race: the database checks it, not full_clean.
    negotiation.full_clean(exclude=["listing", "buyer", "opened_by", "broker"], validate_constraints=False)
    try:
        with transaction.atomic():
            negotiation.save()
    except IntegrityError:
        # Another request of the same buyer opened it a moment ago: use that one.
        return Negotiation.objects.get(listing=listing, mode=mode, buyer=buyer, status=NegotiationStatus.OPEN)
    body = message.strip()[:MAX_MESSAGE_CHARS] or _("%(buyer)s would like to discuss a %(mode)s.") % {
        "buyer": buyer.name,
        "mode": Mode(mode).label,
    }
    room_post(negotiation, author=actor, side=Side.BUYER, kind=MessageKind.TEXT, body=body)
    return negotiation


@transaction.atomic
def message_post(*, negotiation: Negotiation, actor, body: str) -> NegotiationMessage:
    side = _require_side(negotiation, actor)
    _require_open(negotiation)
    text = require_storable_text(body).strip()
    if not text:
        raise ValidationError(_("Write a message first."))
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValidationError(_("A message can have at most %(count)s characters.") % {"count": MAX_MESSAGE_CHARS})
    return room_post(negotiation, author=actor, side=side, kind=MessageKind.TEXT, body=text)


def _clean_terms(mode: str, terms: dict) -> dict:
    unknown = set(terms) - set(ALL_OFFER_FIELDS) - {"note"}
    if unknown:
        raise ValidationError(_("Unknown terms: %(names)s") % {"names": ", ".join(sorted(unknown))})
    cleaned = {field: terms.get(field) for field in OFFER_FIELDS[mode]}
    for field in TEXT_OFFER_FIELDS & set(cleaned):
        cleaned[field] = require_storable_text(str(cleaned[field] or "")).strip()
    if any((cleaned.get(field) or 0) < 0 for field in MONEY_OFFER_FIELDS):
        raise ValidationError(_("Amounts cannot be negative."))
    if mode == Mode.LICENCE:
        if cleaned["licence_type"] not in LicenceType.values:
            raise ValidationError(_("Choose the licence type: exclusive, sole or ordinary."))
        mode_of_payment = cleaned["payment_mode"] or PaymentMode.FIXED
        if mode_of_payment not in PaymentMode.values:
            raise ValidationError(_("Unknown payment mode."))
        cleaned["payment_mode"] = mode_of_payment
        if mode_of_payment == PaymentMode.ROYALTY and not cleaned["royalty_rate"]:
            raise ValidationError(_("A royalty licence needs a royalty rate."))
        if mode_of_payment == PaymentMode.FIXED and not cleaned["upfront_fee_fen"]:
            raise ValidationError(_("A fixed-sum licence needs an upfront fee."))
        # The contract would state "fixed sum" as the payment mode and then a royalty, which the schedule bills:
        # the buyer would read one thing and owe another.
        if mode_of_payment == PaymentMode.FIXED and (cleaned["royalty_rate"] or cleaned["minimum_annual_royalty_fen"]):
            raise ValidationError(
                _(
                    "A fixed-sum licence has no royalty. Choose the royalty payment mode to agree one, with or "
                    "without an upfront fee."
                )
            )
        if mode_of_payment == PaymentMode.FREE and (
            cleaned["upfront_fee_fen"] or cleaned["royalty_rate"] or cleaned["minimum_annual_royalty_fen"]
        ):
            raise ValidationError(_("A free licence has no fee and no royalty."))
        _clean_royalty_terms(cleaned, royalty=mode_of_payment == PaymentMode.ROYALTY)
    elif mode == Mode.TRANSFER:
        if not cleaned["price_fen"]:
            raise ValidationError(_("A transfer needs a price."))
        instalments = cleaned["instalments"] or 1
        if not 1 <= instalments <= MAX_INSTALMENTS:
            raise ValidationError(_("A price is paid in 1 to %(count)d instalments.") % {"count": MAX_INSTALMENTS})
        if cleaned["price_fen"] < instalments * MIN_INSTALMENT_FEN:
            raise ValidationError(
                _(
                    "%(price)s cannot be paid in %(count)d instalments: each instalment is at least %(least)s. "
                    "Ask for fewer instalments."
                )
                % {
                    "price": format_yuan(cleaned["price_fen"]),
                    "count": instalments,
                    "least": format_yuan(MIN_INSTALMENT_FEN),
                }
            )
        cleaned["instalments"] = instalments
    elif mode == Mode.EQUITY:
        if not (cleaned["appraised_value_fen"] and cleaned["share_percent"] and cleaned["receiving_company"]):
            raise ValidationError(_("An equity contribution needs the appraised value, the share and the company."))
        if not (Decimal("0") < Decimal(cleaned["share_percent"]) <= Decimal("100")):
            raise ValidationError(_("The share must be between 0 and 100 %."))
    _clean_dispute_terms(cleaned)
    for field in ALL_OFFER_FIELDS:
        if field not in cleaned:
            cleaned[field] = "" if field in TEXT_OFFER_FIELDS else None
    cleaned["note"] = require_storable_text(str(terms.get("note") or "")).strip()
    return cleaned


def _clean_royalty_terms(cleaned: dict, *, royalty: bool) -> None:
    """A royalty states what its rate is a percentage of and how often the licensee reports and pays; terms
    without a royalty state neither (a base beside a fixed sum would read as a second way of paying). A royalty
    proposed without them takes net sales, reported quarterly: what licensing practice and the earlier contracts
    assumed."""
    if not royalty:
        if cleaned["royalty_base"] or cleaned["royalty_period"]:
            raise ValidationError(
                _("A royalty base and reporting period belong to a royalty: choose the royalty payment mode.")
            )
        return
    cleaned["royalty_base"] = cleaned["royalty_base"] or RoyaltyBase.NET_SALES
    cleaned["royalty_period"] = cleaned["royalty_period"] or RoyaltyPeriod.QUARTERLY
    if cleaned["royalty_base"] not in RoyaltyBase.values:
        raise ValidationError(_("Unknown royalty base."))
    if cleaned["royalty_period"] not in RoyaltyPeriod.values:
        raise ValidationError(_("Unknown royalty reporting period."))


def _clean_dispute_terms(cleaned: dict) -> None:
    """Arbitration needs a named commission: an arbitration clause that names none is void unless the parties
    agree one later (Arbitration Law art. 16 and 18), and a commission beside a court would be both at once."""
    choice = cleaned["dispute_resolution"] or DisputeResolution.COURT
    if choice not in DisputeResolution.values:
        raise ValidationError(_("Unknown way of resolving disputes."))
    cleaned["dispute_resolution"] = choice
    commission = cleaned["arbitration_commission"]
    if choice == DisputeResolution.ARBITRATION and not commission:
        raise ValidationError(_("Name the arbitration commission, for example 杭州仲裁委员会."))
    if choice != DisputeResolution.ARBITRATION and commission:
        raise ValidationError(_("An arbitration commission is named only when disputes go to arbitration."))


def _side_organisation(negotiation: Negotiation, side: str) -> Organisation:
    return negotiation.buyer if side == Side.BUYER else negotiation.listing.seller


def _accepted_by(offer: Offer, side: str):
    return offer.buyer_accepted_at if side == Side.BUYER else offer.seller_accepted_at


def _acceptance(side: str, actor, now) -> dict:
    """The offer fields that record `side`'s acceptance by `actor`."""
    return {f"{side}_accepted_at": now, f"{side}_accepted_by": actor}


@transaction.atomic
def offer_propose(*, negotiation: Negotiation, actor, terms: dict) -> Offer:
    """Buyer or seller puts a term sheet on the table: a new version that supersedes any earlier proposal.

    Any member of a side may propose (members prepare); a version proposed by a verified signatory counts as
    that side's acceptance, one proposed by another member waits for its own side's signatory too."""
    return _offer_put(negotiation, actor, terms, standing_terms=False)


def _offer_put(negotiation: Negotiation, actor, terms: dict, *, standing_terms: bool) -> Offer:
    """`standing_terms`: the seller's standard terms published on the listing (the express licence), which the
    seller accepted by publishing them, whoever puts them on the table."""
    negotiation = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
    side = _require_side(negotiation, actor, allowed=(Side.BUYER, Side.SELLER))
    _require_open(negotiation)
    cleaned = _clean_terms(negotiation.mode, terms)
    offers_on_the_table_set_status(negotiation=negotiation, to_status=OfferStatus.SUPERSEDED)
    latest = negotiation.offers.order_by("-version").values_list("version", flat=True).first() or 0
    # Standing terms were accepted by publishing them, by no one person: the acceptance names nobody.
    if standing_terms:
        acceptance = _acceptance(side, None, timezone.now())
    elif is_signatory(actor, _side_organisation(negotiation, side)):
        acceptance = _acceptance(side, actor, timezone.now())
    else:
        acceptance = {}
    offer = Offer(
        negotiation=negotiation,
        version=latest + 1,
        proposed_by=actor,
        side=side,
        **acceptance,
        **cleaned,
    )
    offer.full_clean()
    offer.save()
    room_post(
        negotiation,
        author=actor,
        side=side,
        kind=MessageKind.OFFER,
        body=_("Offer version %(version)s") % {"version": offer.version},
        offer=offer,
    )
    return offer


def _on_the_table(offer: Offer, actor) -> tuple[Negotiation, str, Offer]:
    """The offer's negotiation (locked), the actor's trading side in it, and the offer (locked), refused unless
    the negotiation is open and the offer is the version on the table."""
    negotiation = Negotiation.objects.select_for_update().get(pk=offer.negotiation_id)
    side = _require_side(negotiation, actor, allowed=(Side.BUYER, Side.SELLER))
    _require_open(negotiation)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.negotiation_id != negotiation.pk or offer.status != OfferStatus.PROPOSED:
        raise ValidationError(_("This offer is no longer on the table."), code="offer_not_proposed")
    return negotiation, side, offer


@transaction.atomic
def offer_accept(*, offer: Offer, actor, priced_by_agreement: bool = True):
    """A verified signatory accepts the version on the table for their side. Once both sides have accepted it a
    deal is made (`deal_create_from_offer`, in deals.services.deals) and returned; an exclusive one closes the
    competing negotiations of its mode. Returns None while the other side's acceptance is still awaited (the
    version was proposed by a member who is not a signatory, and this acceptance is its side's own).
    `priced_by_agreement` False: the price was public before (a listing's standard terms), so a public seller's
    deal needs no notice of an agreed price."""
    # Lock order: the listing first, then the negotiation. Every acceptance on a listing queues here, so the
    # winner can close the competing negotiations without deadlocking against the buyers waiting behind it.
    listing_id = Negotiation.objects.filter(pk=offer.negotiation_id).values_list("listing_id", flat=True).get()
    Listing.objects.select_for_update().only("pk").get(pk=listing_id)
    negotiation, side, offer = _on_the_table(offer, actor)
    if _accepted_by(offer, side):
        if offer.side == side:
            raise ValidationError(_("Your side proposed this version; the other side must accept it."))
        raise ValidationError(_("Your side has already accepted this version; the other side must accept it."))
    require_signatory(actor, _side_organisation(negotiation, side), BindingAct.ACCEPT)
    acceptance = _acceptance(side, actor, timezone.now())
    other = Side.SELLER if side == Side.BUYER else Side.BUYER
    if not _accepted_by(offer, other):
        for field, value in acceptance.items():
            setattr(offer, field, value)
        offer.full_clean(exclude=["negotiation", "proposed_by"])
        offer.save(update_fields=list(acceptance))
        if side == Side.BUYER:
            event = _("Version %(version)s accepted for the buyer by %(person)s; the seller's acceptance is awaited.")
        else:
            event = _("Version %(version)s accepted for the seller by %(person)s; the buyer's acceptance is awaited.")
        room_post(
            negotiation,
            author=actor,
            side=side,
            kind=MessageKind.EVENT,
            body=event % {"version": offer.version, "person": actor},
            offer=offer,
        )
        return None
    offer_set_status(offer=offer, to_status=OfferStatus.ACCEPTED, **acceptance)
    deal = deal_create_from_offer(
        negotiation=negotiation, offer=offer, actor=actor, priced_by_agreement=priced_by_agreement
    )
    if deal.is_exclusive:
        negotiations_supersede(listing=negotiation.listing, mode=deal.mode, except_negotiation_id=negotiation.pk)
    negotiation_set_status(
        negotiation=negotiation,
        to_status=NegotiationStatus.AGREED,
        actor=actor,
        side=side,
        event=_("Version %(version)s accepted by both sides: deal #%(deal)s is agreed.")
        % {"version": offer.version, "deal": deal.pk},
        offer=offer,
    )
    return deal


@transaction.atomic
def offer_reject(*, offer: Offer, actor, reason: str = "") -> Offer:
    negotiation, side, offer = _on_the_table(offer, actor)
    if offer.side == side:
        raise ValidationError(_("You cannot reject your own side's offer; withdraw it instead."))
    offer_set_status(offer=offer, to_status=OfferStatus.REJECTED)
    body = _("Version %(version)s rejected.") % {"version": offer.version}
    if reason.strip():
        body += " " + reason.strip()[:500]
    room_post(negotiation, author=actor, side=side, kind=MessageKind.EVENT, body=body, offer=offer)
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor) -> Offer:
    negotiation, side, offer = _on_the_table(offer, actor)
    if offer.side != side:
        raise ValidationError(_("Only the side that proposed an offer can withdraw it."))
    offer_set_status(offer=offer, to_status=OfferStatus.WITHDRAWN)
    body = _("Version %(version)s withdrawn.") % {"version": offer.version}
    room_post(negotiation, author=actor, side=side, kind=MessageKind.EVENT, body=body, offer=offer)
    return offer


@transaction.atomic
def negotiation_pass(*, negotiation: Negotiation, actor, reason: str, text: str = "") -> Negotiation:
    """The buyer ends the negotiation and says why ("why we passed"): sellers learn from the aggregate."""
    negotiation = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
    _require_side(negotiation, actor, allowed=(Side.BUYER,))
    _require_open(negotiation)
    if reason not in PassReason.values:
        raise ValidationError(_("Pick a reason: price, maturity, fit, terms or other."))
    if reason == PassReason.OTHER and not text.strip():
        raise ValidationError(_("Say in a few words why."))
    return negotiation_set_status(
        negotiation=negotiation,
        to_status=NegotiationStatus.PASSED,
        actor=actor,
        side=Side.BUYER,
        event=_("The buyer ended the negotiation (%(reason)s).") % {"reason": PassReason(reason).label},
        pass_reason=reason,
        pass_reason_text=text.strip()[:500],
    )


@transaction.atomic
def negotiation_decline(*, negotiation: Negotiation, actor, text: str = "") -> Negotiation:
    negotiation = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
    _require_side(negotiation, actor, allowed=(Side.SELLER,))
    _require_open(negotiation)
    event = _("The seller ended the negotiation.") + (" " + text.strip()[:500] if text.strip() else "")
    return negotiation_set_status(
        negotiation=negotiation, to_status=NegotiationStatus.DECLINED, actor=actor, side=Side.SELLER, event=event
    )


def negotiations_supersede(*, listing: Listing, mode: str, except_negotiation_id: int) -> list[int]:
    """Tell competing open negotiations that the mode was dealt elsewhere, and close them."""
    competing = list(
        Negotiation.objects.select_for_update()
        .filter(listing=listing, status=NegotiationStatus.OPEN)
        .filter(mode__in=Mode.values if mode in (Mode.TRANSFER, Mode.EQUITY) else [mode])
        .exclude(pk=except_negotiation_id)
    )
    for negotiation in competing:
        negotiation_set_status(
            negotiation=negotiation,
            to_status=NegotiationStatus.SUPERSEDED,
            actor=None,
            side="",
            event=_("This mode was dealt in another negotiation and is no longer available."),
        )
    return [negotiation.pk for negotiation in competing]


def mark_read(*, negotiation: Negotiation, user, up_to_message_id: int | None = None) -> None:
    last = up_to_message_id or negotiation.messages.order_by("-id").values_list("id", flat=True).first() or 0
    mark, _created = ReadMark.objects.get_or_create(negotiation=negotiation, user=user)
    if last > mark.last_read_message_id:
        ReadMark.objects.filter(pk=mark.pk, last_read_message_id__lt=last).update(last_read_message_id=last)


@transaction.atomic
def express_licence_take(*, listing: Listing, actor, buyer: Organisation):
    """Accept a listing's standard ordinary-licence terms: enquiry, offer and acceptance in one step."""
    standard = ListingTerms.objects.filter(
        listing=listing, mode=Mode.LICENCE, is_open=True, express_ordinary=True
    ).first()
    if standard is None:
        raise ValidationError(_("This listing has no standard terms for an ordinary licence."))
    # Taking the licence binds the buyer at once: refuse before anything is opened in its name.
    if buyer.id in organisation_ids_of(actor):
        require_signatory(actor, buyer, BindingAct.ACCEPT)
    negotiation = negotiation_open(
        listing=listing, mode=Mode.LICENCE, actor=actor, buyer=buyer, message=_("Express licence on standard terms.")
    )
    # The seller's side of the express offer is its published standard terms; it is put on the table in the name
    # of one of the seller's signatories where there is one.
    signatory = verified_signatories(listing.seller).first()
    seller_user = (
        signatory.user
        if signatory is not None
        else listing.created_by or Membership.objects.filter(organisation=listing.seller).first().user
    )
    # A royalty, with or without an upfront fee, is the royalty mode: "fixed sum" would tell the buyer no royalty.
    if standard.royalty_rate:
        payment_mode = PaymentMode.ROYALTY
    else:
        payment_mode = PaymentMode.FIXED if standard.upfront_fee_fen else PaymentMode.FREE
    terms = {
        "licence_type": LicenceType.ORDINARY,
        "territory": standard.territory,
        "field_of_use": standard.field_of_use,
        "term_years": standard.term_years,
        "upfront_fee_fen": standard.upfront_fee_fen,
        "royalty_rate": standard.royalty_rate,
        "payment_mode": payment_mode,
        "note": _("The listing's standard terms."),
    }
    offer = _offer_put(negotiation, seller_user, terms, standing_terms=True)
    # The price is the one the listing published for anyone to take (挂牌, one of the three lawful ways to price a
    # public institution's patent): not an agreed price, so no notice of one.
    return offer_accept(offer=offer, actor=actor, priced_by_agreement=False)


@transaction.atomic
def deal_at_found_price(*, listing: Listing, mode: str, buyer: Organisation, actor, terms: dict, message: str) -> Deal:
    """A deal whose price was found in public (an auction's winning bid): the seller accepted the terms by
    opening the round, and the buyer's signatory (`actor`) by bidding. It follows the negotiated path (room,
    offer, contract, payment, indicators) but, its price not being agreed, publishes no price notice."""
    require_signatory(actor, buyer, BindingAct.ACCEPT)
    negotiation = negotiation_open(listing=listing, mode=mode, actor=actor, buyer=buyer, message=message)
    offer = _offer_put(negotiation, actor, terms, standing_terms=False)
    Listing.objects.select_for_update().only("pk").get(pk=listing.pk)
    negotiation, _side, offer = _on_the_table(offer, actor)
    seller_acceptance = _acceptance(Side.SELLER, None, timezone.now())
    offer_set_status(offer=offer, to_status=OfferStatus.ACCEPTED, **seller_acceptance)
    deal = deal_create_from_offer(negotiation=negotiation, offer=offer, actor=actor, priced_by_agreement=False)
    if deal.is_exclusive:
        negotiations_supersede(listing=negotiation.listing, mode=deal.mode, except_negotiation_id=negotiation.pk)
    negotiation_set_status(
        negotiation=negotiation,
        to_status=NegotiationStatus.AGREED,
        actor=actor,
        side=Side.BUYER,
        event=_("The round's terms at the winning price are accepted by both sides: deal #%(deal)s is agreed.")
        % {"deal": deal.pk},
        offer=offer,
    )
    return deal
