"""Reads of auctions. A round on a public listing is public (its terms, ladder and result); bidders' names are
shown to staff of the hosting centre (and above) only; everyone else sees 竞买人 A, B, … and their own as "you"."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from auctions.models import AuctionRound, Bid, Deposit, RoundStatus, bidder_pseudonym
from deals.models import DealStatus
from deals.templatetags.deal_tags import format_yuan
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import organisation_ids_of

LADDER_SHOWN = 50


def rounds_visible_to(user) -> QuerySet[AuctionRound]:
    """Every round is public: it can only be opened on a listing on the market, and its result is a public
    notice that stays after the listing leaves the market (a transfer closes it)."""
    return AuctionRound.objects.select_related("listing__seller", "centre", "deal__buyer")


def open_rounds(user) -> QuerySet[AuctionRound]:
    return rounds_visible_to(user).filter(status=RoundStatus.OPEN).order_by("ends_at")


def results(user) -> QuerySet[AuctionRound]:
    """成交公告 and 流拍 notices: every closed round, newest first."""
    return (
        rounds_visible_to(user).filter(status__in=(RoundStatus.SOLD, RoundStatus.FAILED)).order_by("-closed_at", "-pk")
    )


@dataclass(frozen=True)
class Viewer:
    """Who watches a round: decides how each bidder is named."""

    organisation_ids: frozenset[int]
    sees_names: bool

    def name_for(self, *, bidder_id: int, bidder_name: str, pseudonym_index: int | None) -> tuple[str, bool]:
        """(the name shown, whether it is the viewer's own organisation)."""
        if bidder_id in self.organisation_ids:
            return "", True
        if self.sees_names:
            return bidder_name, False
        return str(bidder_pseudonym(pseudonym_index or 0)), False


def viewer_of(user, round_: AuctionRound) -> Viewer:
    return Viewer(frozenset(organisation_ids_of(user)), staff_scope(user).covers(round_.centre_id))


def ladder(round_: AuctionRound, viewer: Viewer, limit: int = LADDER_SHOWN) -> list[dict]:
    """The latest bids, highest first, each named for the viewer."""
    pseudonyms = dict(Deposit.objects.filter(round=round_).values_list("organisation_id", "pseudonym_index"))
    rows = []
    bids = Bid.objects.filter(round=round_).select_related("bidder").order_by("-sequence")[:limit]
    for bid in bids:
        name, own = viewer.name_for(
            bidder_id=bid.bidder_id, bidder_name=bid.bidder.name, pseudonym_index=pseudonyms.get(bid.bidder_id)
        )
        rows.append(
            {
                "sequence": bid.sequence,
                "amount_fen": bid.amount_fen,
                "amount": format_yuan(bid.amount_fen),
                "who": name,
                "own": own,
                "placed_at": bid.placed_at.isoformat(),
                # The time of day in the site's zone, as the page's script writes the bids it adds.
                "placed_at_time": timezone.localtime(bid.placed_at).strftime("%H:%M:%S"),
            }
        )
    return rows


def round_state(round_: AuctionRound, viewer: Viewer) -> dict:
    """What a page (or a socket on connect) needs to draw the round now, with the server's clock."""
    from auctions.services import phase

    return {
        "round": round_.pk,
        "phase": phase(round_),
        "status": round_.status,
        "server_now": timezone.now().isoformat(),
        "bidding_starts_at": round_.bidding_starts_at.isoformat(),
        "ends_at": round_.ends_at.isoformat(),
        "price_fen": round_.price_fen,
        "price": format_yuan(round_.price_fen) if round_.price_fen is not None else "",
        "next_minimum_fen": round_.next_minimum_fen,
        "next_minimum": format_yuan(round_.next_minimum_fen),
        "bid_count": round_.bid_count,
        "ladder": ladder(round_, viewer),
    }


def deposits_of(user, round_: AuctionRound) -> list[Deposit]:
    """The viewer's organisations' registrations in the round."""
    return list(
        Deposit.objects.filter(round=round_, organisation_id__in=organisation_ids_of(user)).select_related(
            "organisation", "instalment"
        )
    )


def qualified_organisations(user, round_: AuctionRound) -> list:
    """The viewer's organisations whose deposit is paid: the ones they may bid for."""
    return [deposit.organisation for deposit in deposits_of(user, round_) if deposit.status == "paid"]


def deposits_for_staff(round_: AuctionRound) -> QuerySet[Deposit]:
    return Deposit.objects.filter(round=round_).select_related("organisation", "instalment")


def may_manage_rounds(user, listing) -> bool:
    """The seller's members and the hosting centre's staff (and above) may open and withdraw a listing's rounds;
    the services ask more where the act binds the seller (a signatory to open)."""
    return staff_scope(user).covers(listing.centre_id) or listing.seller_id in organisation_ids_of(user)


@dataclass(frozen=True)
class RoundPage:
    """What one person may see and do on a round's page: the rules the template reads, decided here."""

    is_staff: bool  # of the hosting centre or above: names, the bidders' table, the winner's default
    manages: bool  # the seller or its centre: the reserve, withdrawing the round
    sees_deal: bool  # the deal's parties and the centre's staff: the link to the round's deal
    may_withdraw: bool
    may_record_default: bool
    registrable: list  # the person's organisations that may still register to bid


def round_page_for(user, round_: AuctionRound, *, current_phase: str, own_deposits: list[Deposit]) -> RoundPage:
    organisations = organisation_ids_of(user)
    is_staff = staff_scope(user).covers(round_.centre_id)
    manages = is_staff or round_.listing.seller_id in organisations
    deal = round_.deal
    registrable = []
    if user.is_authenticated and current_phase in ("announced", "bidding"):
        registered = {deposit.organisation_id for deposit in own_deposits}
        registrable = list(
            Organisation.objects.filter(pk__in=organisations, verified=True)
            .exclude(pk__in=registered)
            .exclude(pk=round_.listing.seller_id)
        )
    return RoundPage(
        is_staff=is_staff,
        manages=manages,
        sees_deal=deal is not None and (manages or deal.buyer_id in organisations),
        # The seller's people before bidding starts; the centre's staff until the round closes (services.round_cancel).
        may_withdraw=round_.status == RoundStatus.OPEN and (is_staff or (manages and current_phase == "announced")),
        may_record_default=is_staff and deal is not None and deal.status == DealStatus.AGREED,
        registrable=registrable,
    )
