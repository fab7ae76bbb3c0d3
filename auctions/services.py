"""Every write to auctions: opening a round, registering and paying deposits, bidding, closing.

A bid is judged holding the round's row lock and stored as a row naming the bid it beats; the constraints on
Bid (auctions.models) are what make two simultaneous bids at one price impossible, whatever runs the code.
Losers' deposits go back through the task runner (auctions.tasks), each refund idempotent in payments.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from auctions.models import (
    AuctionRound,
    Bid,
    Deposit,
    DepositStatus,
    FailureReason,
    OneBidderRule,
    RoundEvent,
    RoundEventKind,
    RoundStatus,
)
from auctions.rules import rules_for
from auctions.signals import deposits_released
from deals.models import Deal, DealStatus, DisputeResolution, PaymentMode
from deals.services.deals import deal_cancel
from deals.services.negotiations import deal_at_found_price
from deals.templatetags.deal_tags import format_yuan
from listings.models import LicenceType, Listing, ListingTerms, Mode
from marketplace.centres.selectors import staff_scope
from marketplace.core.notifications import group_send_on_commit, notify_users_on_commit
from marketplace.organisations.models import Membership, Organisation
from marketplace.organisations.selectors import BindingAct, organisation_ids_of, require_signatory
from payments.services import deposit_credit_to_deal, deposit_forfeit, deposit_instalment_open

MAX_EXTENSION_MINUTES = 60
MAX_BIDDING_DAYS = 30
# ¥1 trillion: far above any patent's price, far below what the database column holds.
MAX_AMOUNT_FEN = 10**14


def round_group(round_id: int) -> str:
    return f"auction-{round_id}"


def _event(round_: AuctionRound, kind: str, actor=None, note: str = "") -> None:
    RoundEvent.objects.create(round=round_, kind=kind, actor=actor, note=note[:300])


def _terms_for_round(mode: str, licence_type: str) -> str:
    if mode == Mode.LICENCE:
        if licence_type not in LicenceType.values:
            raise ValidationError({"licence_type": _("Choose the kind of licence the round offers.")})
        return licence_type
    return ""


@transaction.atomic
def round_open(
    *,
    listing: Listing,
    actor,
    mode: str,
    start_price_fen: int,
    increment_fen: int,
    deposit_fen: int,
    bidding_starts_at: datetime,
    bidding_ends_at: datetime,
    extension_minutes: int,
    reserve_fen: int | None = None,
    reserve_shown: bool = False,
    licence_type: str = "",
    territory: str = "",
    term_years: int | None = None,
    one_bidder_rule: str = "",
) -> AuctionRound:
    """The seller (a signatory: the round binds it to sell at the winning price) or staff of the hosting centre
    announce a round on one mode of a listing on the market."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if staff_scope(actor).covers(listing.centre_id):
        pass
    elif listing.seller_id in organisation_ids_of(actor):
        require_signatory(actor, listing.seller, BindingAct.ACCEPT)
    else:
        raise PermissionDenied(_("Only the seller or its operation centre may open a bidding round."))
    if not listing.is_on_market:
        raise ValidationError(_("This listing is not on the market."))
    if mode not in (Mode.LICENCE, Mode.TRANSFER):
        raise ValidationError({"mode": _("A round sells a licence or a transfer.")})
    if not ListingTerms.objects.filter(listing=listing, mode=mode, is_open=True).exists():
        raise ValidationError({"mode": _("This listing does not offer that mode (any more).")})
    licence_type = _terms_for_round(mode, licence_type)
    rules = rules_for(listing.centre_id)
    now = timezone.now()
    errors = {}
    earliest = now + timedelta(days=rules.min_announcement_days)
    if bidding_starts_at < earliest - timedelta(minutes=1):
        errors["bidding_starts_at"] = _(
            "The round must be announced at least %(days)s days before bidding starts (the centre's rule): "
            "bidding may start on %(date)s at the earliest."
        ) % {"days": rules.min_announcement_days, "date": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M")}
    if bidding_ends_at <= bidding_starts_at:
        errors["bidding_ends_at"] = _("Bidding must end after it starts.")
    elif bidding_ends_at - bidding_starts_at > timedelta(days=MAX_BIDDING_DAYS):
        errors["bidding_ends_at"] = _("Bidding may last %(days)s days at most.") % {"days": MAX_BIDDING_DAYS}
    if not 1 <= extension_minutes <= MAX_EXTENSION_MINUTES:
        errors["extension_minutes"] = _("The extension is between 1 and %(max)s minutes.") % {
            "max": MAX_EXTENSION_MINUTES
        }
    if start_price_fen is None or start_price_fen <= 0:
        errors["start_price_fen"] = _("The start price must be more than zero.")
    if increment_fen is None or increment_fen <= 0:
        errors["increment_fen"] = _("The increment must be more than zero.")
    if deposit_fen is None or deposit_fen <= 0:
        errors["deposit_fen"] = _("The deposit must be more than zero.")
    if reserve_fen is not None and start_price_fen and reserve_fen < start_price_fen:
        errors["reserve_fen"] = _("The reserve price cannot be below the start price.")
    if errors:
        raise ValidationError(errors)
    round_ = AuctionRound(
        listing=listing,
        centre_id=listing.centre_id,
        mode=mode,
        licence_type=licence_type,
        territory=territory.strip()[:120],
        term_years=term_years if mode == Mode.LICENCE else None,
        start_price_fen=start_price_fen,
        reserve_fen=reserve_fen,
        reserve_shown=reserve_shown and reserve_fen is not None,
        increment_fen=increment_fen,
        deposit_fen=deposit_fen,
        bidding_starts_at=bidding_starts_at,
        bidding_ends_at=bidding_ends_at,
        ends_at=bidding_ends_at,
        extension_minutes=extension_minutes,
        one_bidder_rule=one_bidder_rule or rules.one_bidder_rule,
        opened_by=actor,
    )
    round_.full_clean(exclude=["listing", "centre", "opened_by", "top_bid", "deal"], validate_constraints=False)
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError:
        raise ValidationError(_("A round on this listing and mode is already open.")) from None
    _event(round_, RoundEventKind.OPENED, actor)
    return round_


def phase(round_: AuctionRound, now: datetime | None = None) -> str:
    """announced / bidding / closing (the end passed, the outcome not yet recorded) / the final status."""
    if round_.status != RoundStatus.OPEN:
        return round_.status
    now = now or timezone.now()
    if now < round_.bidding_starts_at:
        return "announced"
    if now < round_.ends_at:
        return "bidding"
    return "closing"


@transaction.atomic
def deposit_register(*, round_: AuctionRound, organisation: Organisation, actor) -> Deposit:
    """An organisation asks to bid: its deposit falls due (paid by card or bank transfer through payments).
    Registering twice returns the first registration."""
    if organisation.pk not in organisation_ids_of(actor):
        raise PermissionDenied(_("You can only register an organisation you belong to."))
    round_ = AuctionRound.objects.select_for_update(of=("self",)).select_related("listing").get(pk=round_.pk)
    existing = Deposit.objects.filter(round=round_, organisation=organisation).first()
    if existing is not None:
        return existing
    if organisation.pk == round_.listing.seller_id:
        raise ValidationError(_("The seller cannot bid in its own round."))
    if not organisation.verified:
        raise ValidationError(_("Only an organisation verified by an operation centre may bid."))
    if phase(round_) not in ("announced", "bidding"):
        raise ValidationError(_("This round has ended."))
    require_signatory(actor, organisation, BindingAct.PAY)
    index = Deposit.objects.filter(round=round_).count()
    instalment = deposit_instalment_open(
        payer=organisation,
        centre=round_.centre,
        amount_fen=round_.deposit_fen,
        reference=f"auction-{round_.pk}-{organisation.pk}",
        label=_("Deposit for the bidding round on “%(title)s”") % {"title": round_.listing.title},
    )
    deposit = Deposit.objects.create(
        round=round_, organisation=organisation, instalment=instalment, pseudonym_index=index, registered_by=actor
    )
    _event(round_, RoundEventKind.DEPOSIT, actor, note=f"{organisation.pk} registered")
    return deposit


@transaction.atomic
def deposit_mark_paid(*, instalment_id: int) -> Deposit | None:
    """Told by payments that a deposit's money arrived (auctions.receivers). Idempotent."""
    deposit = Deposit.objects.select_for_update().filter(instalment_id=instalment_id).first()
    if deposit is None or deposit.status != DepositStatus.AWAITING:
        return deposit
    deposit.status = DepositStatus.PAID
    deposit.paid_at = timezone.now()
    deposit.save(update_fields=["status", "paid_at"])
    _event(deposit.round, RoundEventKind.DEPOSIT, None, note=f"{deposit.organisation_id} paid")
    if deposit.round.status != RoundStatus.OPEN:
        # The money arrived after the round ended (a card the bank confirmed late): it goes straight back.
        _refunds_on_commit(deposit.round, only_deposit_id=deposit.pk)
    group_send_on_commit(round_group(deposit.round_id), {"type": "round.changed"})
    return deposit


def bid_event(bid: Bid, round_: AuctionRound, *, extended: bool) -> dict:
    """What every page watching the round is sent; auctions.consumers hides the bidder's name from non-staff."""
    return {
        "sequence": bid.sequence,
        "amount_fen": bid.amount_fen,
        "amount": format_yuan(bid.amount_fen),
        "bidder_id": bid.bidder_id,
        "bidder_name": bid.bidder.name,
        "pseudonym_index": Deposit.objects.filter(round=round_, organisation_id=bid.bidder_id)
        .values_list("pseudonym_index", flat=True)
        .first(),
        "placed_at": bid.placed_at.isoformat(),
        "ends_at": round_.ends_at.isoformat(),
        "next_minimum_fen": round_.next_minimum_fen,
        "next_minimum": format_yuan(round_.next_minimum_fen),
        "extended": extended,
    }


def bid_place(*, round_: AuctionRound, bidder: Organisation, actor, amount_fen: int) -> Bid:
    """A qualified bidder's signatory bids. Refused, with nothing changed: below the current price plus the
    increment, before the start or after the end (the server's clock), without a paid deposit, from the seller,
    or beating oneself."""
    if bidder.pk not in organisation_ids_of(actor):
        raise PermissionDenied(_("You can only bid for an organisation you belong to."))
    require_signatory(actor, bidder, BindingAct.ACCEPT)
    # A whole number of fen, as the form and the socket send it: never rounded here (100000000.5 is no bid).
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise ValidationError(_("Enter the amount of your bid."), code="bid_amount")
    if amount_fen > MAX_AMOUNT_FEN:
        raise ValidationError(_("This amount is not a realistic bid."), code="bid_amount")
    with transaction.atomic():
        round_ = AuctionRound.objects.select_for_update(of=("self",)).select_related("listing").get(pk=round_.pk)
        now = timezone.now()
        if bidder.pk == round_.listing.seller_id:
            raise ValidationError(_("The seller cannot bid in its own round."), code="bid_seller")
        current = phase(round_, now)
        if current == "announced":
            raise ValidationError(_("Bidding has not started yet."), code="bid_early")
        if current != "bidding":
            raise ValidationError(_("Bidding has ended."), code="bid_late")
        if not Deposit.objects.filter(round=round_, organisation=bidder, status=DepositStatus.PAID).exists():
            raise ValidationError(_("Your organisation's deposit must be paid before it can bid."), code="bid_deposit")
        top = round_.top_bid
        if top is not None and top.bidder_id == bidder.pk:
            raise ValidationError(_("Your organisation already holds the highest bid."), code="bid_own")
        minimum = round_.next_minimum_fen
        if amount_fen < minimum:
            raise ValidationError(
                _("A bid must be at least %(minimum)s (the current price plus the increment).")
                % {"minimum": format_yuan(minimum)},
                code="bid_too_low",
            )
        bid = Bid(
            round=round_,
            bidder=bidder,
            placed_by=actor,
            amount_fen=amount_fen,
            minimum_fen=minimum,
            beats=top,
            sequence=round_.bid_count + 1,
            placed_at=now,
        )
        try:
            with transaction.atomic():
                bid.save()
        except IntegrityError:
            # Only reachable if something bypassed the row lock: the constraints keep the ladder whole anyway.
            raise ValidationError(_("Another bid was placed at that moment; bid again."), code="bid_race") from None
        extended = round_.ends_at - now <= timedelta(minutes=round_.extension_minutes)
        round_.top_bid = bid
        round_.price_fen = amount_fen
        round_.bid_count = bid.sequence
        update = ["top_bid", "price_fen", "bid_count"]
        if extended:
            round_.ends_at = round_.ends_at + timedelta(minutes=round_.extension_minutes)
            update.append("ends_at")
            _event(round_, RoundEventKind.EXTENDED, None, note=round_.ends_at.isoformat())
        round_.save(update_fields=update)
        group_send_on_commit(
            round_group(round_.pk), {"type": "round.bid", "bid": bid_event(bid, round_, extended=extended)}
        )
    return bid


def _deal_terms(round_: AuctionRound, price_fen: int) -> dict:
    terms = {"dispute_resolution": DisputeResolution.COURT, "arbitration_commission": ""}
    if round_.mode == Mode.TRANSFER:
        return {**terms, "price_fen": price_fen, "instalments": 1}
    return {
        **terms,
        "licence_type": round_.licence_type,
        "territory": round_.territory,
        "term_years": round_.term_years,
        "upfront_fee_fen": price_fen,
        "payment_mode": PaymentMode.FIXED,
    }


def _outcome(round_: AuctionRound, qualified: int) -> tuple[str, int | None]:
    """(failure reason or "", price) for a round whose bidding ended."""
    top = round_.top_bid
    if top is None:
        return FailureReason.NO_BIDS, None
    if round_.reserve_fen is not None and top.amount_fen < round_.reserve_fen:
        return FailureReason.BELOW_RESERVE, None
    if qualified == 1:
        if round_.one_bidder_rule == OneBidderRule.FAIL:
            return FailureReason.ONE_BIDDER, None
        return "", round_.start_price_fen
    return "", top.amount_fen


def round_close(*, round_: AuctionRound, now: datetime | None = None) -> AuctionRound:
    """Record the outcome of a round whose bidding ended (the task runner, every minute). Idempotent: a closed
    round is returned as it is. Sold → a deal at the price (the winner's deposit held until both sign, then
    credited to the price: winner_deposit_credit); otherwise 流拍. Every other deposit is refunded by its own
    task. A deal that cannot be made (the listing left the market, the winner's bidder lost its signatory, an
    exclusive deal taken meanwhile) fails the round with the reason, and every deposit goes back."""
    now = now or timezone.now()
    with transaction.atomic():
        round_ = (
            AuctionRound.objects.select_for_update(of=("self",)).select_related("listing", "top_bid").get(pk=round_.pk)
        )
        if round_.status != RoundStatus.OPEN or now < round_.ends_at:
            return round_
        qualified = Deposit.objects.filter(round=round_, status=DepositStatus.PAID).count()
        reason, price = _outcome(round_, qualified)
        deal, note = None, reason
        if not reason:
            top = round_.top_bid
            try:
                with transaction.atomic():
                    deal = deal_at_found_price(
                        listing=round_.listing,
                        mode=round_.mode,
                        buyer=top.bidder,
                        actor=top.placed_by,
                        terms=_deal_terms(round_, price),
                        message=_("Won the bidding round #%(round)s at %(price)s.")
                        % {"round": round_.pk, "price": format_yuan(price)},
                    )
            except (ValidationError, PermissionDenied) as error:
                reason = FailureReason.NO_DEAL
                note = "; ".join(getattr(error, "messages", [str(error)]))
        round_.closed_at = now
        if deal is not None:
            round_.status = RoundStatus.SOLD
            round_.price_fen = price
            round_.deal = deal
            round_.save(update_fields=["status", "price_fen", "deal", "closed_at"])
            _event(round_, RoundEventKind.SOLD, None, note=f"deal {deal.pk} at {price}")
        else:
            round_.status = RoundStatus.FAILED
            round_.failure_reason = reason
            round_.save(update_fields=["status", "failure_reason", "closed_at"])
            _event(round_, RoundEventKind.FAILED, None, note=note)
        _refunds_on_commit(round_, keep_organisation_id=round_.deal.buyer_id if round_.deal else None)
        group_send_on_commit(round_group(round_.pk), {"type": "round.changed"})
        _tell_the_outcome(round_)
    return round_


def _tell_the_outcome(round_: AuctionRound) -> None:
    """The seller's people and every registered bidder's hear the result, in their workspace and live."""
    organisations = {
        round_.listing.seller_id,
        *Deposit.objects.filter(round=round_).values_list("organisation_id", flat=True),
    }
    people = Membership.objects.filter(organisation_id__in=organisations).values_list("user_id", flat=True)
    if round_.status == RoundStatus.SOLD:
        message = _("The bidding round on “%(title)s” ended: sold at %(price)s.") % {
            "title": round_.listing.title,
            "price": format_yuan(round_.price_fen),
        }
    else:
        message = _("The bidding round on “%(title)s” ended without a sale: %(reason)s.") % {
            "title": round_.listing.title,
            "reason": round_.get_failure_reason_display(),
        }
    notify_users_on_commit(sorted(set(people)), {"message": message, "url": round_.get_absolute_url()})


def _refunds_on_commit(
    round_: AuctionRound, *, keep_organisation_id: int | None = None, only_deposit_id: int | None = None
) -> None:
    """Every deposit of the round goes back, each by its own task (auctions.receivers enqueues them after commit),
    except the winner's (`keep_organisation_id`): it is held until the contract is signed (then credited to the
    price) or the winner walks away (then forfeited)."""
    ids = list(
        Deposit.objects.filter(round=round_, status__in=(DepositStatus.PAID, DepositStatus.AWAITING))
        .exclude(organisation_id=keep_organisation_id)
        .values_list("pk", flat=True)
    )
    if only_deposit_id is not None:
        ids = [deposit_id for deposit_id in ids if deposit_id == only_deposit_id]
    if ids:
        deposits_released.send(sender=AuctionRound, round=round_, deposit_ids=ids)


@transaction.atomic
def round_cancel(*, round_: AuctionRound, actor, reason: str) -> AuctionRound:
    """The seller or its centre withdraw a round before bidding starts; staff of the centre at any time before
    it closes (a court order, a defect found). Every deposit goes back."""
    round_ = AuctionRound.objects.select_for_update(of=("self",)).select_related("listing").get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("This round has already ended."))
    is_staff = staff_scope(actor).covers(round_.centre_id)
    if not is_staff:
        if round_.listing.seller_id not in organisation_ids_of(actor):
            raise PermissionDenied(_("Only the seller or its operation centre may withdraw the round."))
        if phase(round_) != "announced":
            raise ValidationError(_("Once bidding has started only the operation centre may withdraw the round."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the round is withdrawn.")})
    round_.status = RoundStatus.CANCELLED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    _event(round_, RoundEventKind.CANCELLED, actor, note=reason.strip())
    _refunds_on_commit(round_)
    group_send_on_commit(round_group(round_.pk), {"type": "round.changed"})
    return round_


def _held_for_winner(deposit: Deposit) -> bool:
    """The winner's deposit of a sold round waits for the contract (credited) or a default (forfeited), unless the
    deal was withdrawn."""
    round_ = deposit.round
    if round_.status != RoundStatus.SOLD or round_.deal_id is None:
        return False
    deal = Deal.objects.only("buyer_id", "status").get(pk=round_.deal_id)
    return deal.buyer_id == deposit.organisation_id and deal.status != DealStatus.CANCELLED


SETTLED_DEPOSITS = (DepositStatus.CREDITED, DepositStatus.FORFEITED, DepositStatus.REFUNDED, DepositStatus.CANCELLED)


def deposit_refund_due(*, deposit_id: int) -> Deposit:
    """Give a deposit back once its round is over, unless it is the winner's (held, credited or forfeited). Run
    by the task runner, and again by the periodic sweep; idempotent (payments refunds what is left, once). Not
    in one transaction: a card refund is recorded, then the gateway is called outside any transaction, as
    payments.services.deposit_refund does it."""
    from payments.models import InstalmentStatus
    from payments.services import deposit_refund

    deposit = Deposit.objects.select_related("round", "instalment").get(pk=deposit_id)
    if deposit.status in SETTLED_DEPOSITS or deposit.round.status == RoundStatus.OPEN or _held_for_winner(deposit):
        return deposit
    deposit_refund(instalment=deposit.instalment, reason=_("Deposit of a bidding round returned"))
    outcome = {InstalmentStatus.REFUNDED: DepositStatus.REFUNDED, InstalmentStatus.CANCELLED: DepositStatus.CANCELLED}
    with transaction.atomic():
        deposit = Deposit.objects.select_for_update(of=("self",)).select_related("instalment").get(pk=deposit_id)
        new_status = outcome.get(deposit.instalment.status)
        # Otherwise a card refund awaits the gateway's answer (reconciliation), or a card payment was still under
        # way: the sweep (auctions.tasks.close_ended_rounds) comes back to it.
        if new_status is not None and deposit.status not in SETTLED_DEPOSITS:
            deposit.status = new_status
            deposit.settled_at = timezone.now()
            deposit.save(update_fields=["status", "settled_at"])
            _event(deposit.round, RoundEventKind.DEPOSIT, None, note=f"{deposit.organisation_id} {new_status}")
    return deposit


def deposits_to_return() -> list[int]:
    """Deposits of rounds that are over which are neither settled nor the winner's: the periodic sweep's work."""
    candidates = (
        Deposit.objects.filter(
            round__status__in=(RoundStatus.SOLD, RoundStatus.FAILED, RoundStatus.CANCELLED),
        )
        .exclude(status__in=SETTLED_DEPOSITS)
        .select_related("round")
    )
    return [deposit.pk for deposit in candidates if not _held_for_winner(deposit)]


@transaction.atomic
def winner_deposit_credit(*, deal: Deal) -> Deposit | None:
    """Both parties signed the contract of a round's deal: the winner's deposit counts toward the price
    (auctions.receivers). Idempotent."""
    round_ = AuctionRound.objects.filter(deal=deal).first()
    if round_ is None:
        return None
    winner = Deposit.objects.select_for_update().get(round=round_, organisation_id=deal.buyer_id)
    if winner.status != DepositStatus.PAID:
        return winner
    deposit_credit_to_deal(instalment=winner.instalment, deal=deal)
    winner.status = DepositStatus.CREDITED
    winner.settled_at = timezone.now()
    winner.save(update_fields=["status", "settled_at"])
    _event(round_, RoundEventKind.DEPOSIT, None, note=f"{winner.organisation_id} credited to deal {deal.pk}")
    return winner


def winner_deposit_release(*, deal: Deal) -> None:
    """A round's deal was withdrawn before its contract was signed, and not for the winner's default (a court,
    an exclusive deal taken meanwhile): the winner's deposit goes back like the others."""
    round_ = AuctionRound.objects.filter(deal=deal).first()
    if round_ is not None:
        _refunds_on_commit(round_)


@transaction.atomic
def winner_default(*, round_: AuctionRound, actor, reason: str) -> AuctionRound:
    """Staff of the hosting centre record that the winner walked away: the deal is withdrawn and the winner's
    deposit forfeited (it is not refunded)."""
    round_ = AuctionRound.objects.select_for_update(of=("self",)).select_related("deal").get(pk=round_.pk)
    if not staff_scope(actor).covers(round_.centre_id):
        raise PermissionDenied(_("Only staff of the hosting operation centre decide a forfeit."))
    if round_.status != RoundStatus.SOLD or round_.deal is None:
        raise ValidationError(_("Only a sold round has a winner who can walk away."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deposit is forfeited.")})
    winner = Deposit.objects.select_for_update().get(round=round_, organisation_id=round_.deal.buyer_id)
    if winner.status == DepositStatus.FORFEITED:
        return round_
    deal = Deal.objects.get(pk=round_.deal_id)
    if deal.status != DealStatus.AGREED or winner.status != DepositStatus.PAID:
        # After signing, walking away is a breach of the contract, settled under it, not a forfeit of the deposit.
        raise ValidationError(_("The winner signed the contract: its deposit is part of the price, not forfeitable."))
    # Forfeited first: the deal's cancellation then finds no held deposit to return (winner_deposit_release).
    deposit_forfeit(instalment=winner.instalment, actor=actor, reason=reason.strip())
    winner.status = DepositStatus.FORFEITED
    winner.settled_at = timezone.now()
    winner.save(update_fields=["status", "settled_at"])
    deal_cancel(
        deal=deal,
        actor=actor,
        reason=_("The winner of the bidding round walked away: %(reason)s") % {"reason": reason.strip()},
    )
    _event(round_, RoundEventKind.DEFAULTED, actor, note=reason.strip())
    return round_
