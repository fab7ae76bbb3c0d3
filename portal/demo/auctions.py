"""Four demo bidding rounds (挂牌竞价) on universities' and institutes' listings, made through the auctions services,
each step at the moment it happened (portal.demo.clock), so the rounds' pages, the live ladder and the results
show on first run:

- one in bidding, ending two days after seeding: three firms registered, their deposits paid by bank transfer
  (recorded by one staff member of the hosting centre, confirmed by another), two of them bidding; the demo buyer
  is bidder A, outbid, and may bid again;
- one announced, bidding starting some ten days after seeding, under the hosting centre's rules;
- one sold a few days ago: two bidders, the winner's deal agreed at the winning price (the result notice, 成交公告),
  the loser's deposit refunded the way the task runner does it (auctions.services.deposit_refund_due);
- one failed (流拍) some seven weeks ago: its bids stayed below the reserve price; both deposits refunded.

Idempotent the way the demo deals are: on a platform that has any round already (this demo's or its own) the
demo adds none, so a second run creates nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from auctions.models import AuctionRound, Deposit
from auctions.rules import rules_for
from auctions.services import bid_place, deposit_refund_due, deposit_register, round_close, round_open
from listings.models import LicenceType, Listing, ListingStatus, ListingTerms, Mode
from marketplace.organisations.models import Organisation
from payments.services import bank_transfer_confirm, bank_transfer_record
from portal.demo.clock import demo_clock
from portal.demo.deals.people import recorder_and_confirmer, signatory_of
from portal.demo.deals.plan import BUYERS, DEMO_BUYER, at
from portal.demo.seed import DEMO_LETTER

PUBLIC_SELLER_KINDS = ("university", "institute")
# The sellers whose demo accounts exist, for the live and the announced round: `seller.zju`, `seller.nimte`.
LIVE_SELLER = "浙江大学"
ANNOUNCED_SELLER = "中国科学院宁波材料技术与工程研究所"


@dataclass(frozen=True)
class AuctionsSeeded:
    rounds: int  # rounds on the platform after seeding
    created: int
    skipped_reason: str = ""


@dataclass(frozen=True)
class _Pick:
    listing: Listing
    terms: ListingTerms


def seed_auctions(today: date | None = None) -> AuctionsSeeded:
    present = AuctionRound.objects.count()
    if present:
        return AuctionsSeeded(present, 0)
    today = today or timezone.localdate()
    used: set[int] = set()
    picks = {  # the sellers with demo accounts choose first
        "live": _pick(Mode.TRANSFER, used, seller=LIVE_SELLER),
        "announced": _pick(Mode.TRANSFER, used, seller=ANNOUNCED_SELLER),
        "failed": _pick(Mode.LICENCE, used),
        "sold": _pick(Mode.TRANSFER, used),
    }
    if not all(picks.values()):
        return AuctionsSeeded(0, 0, "too few listings of universities and institutes on the market")
    firms = _firms()
    if len(firms) < 6:
        return AuctionsSeeded(0, 0, "too few verified demo firms")
    demo_buyer, others = firms[0], firms[1:]
    with transaction.atomic():
        _failed_round(picks["failed"], bidders=others[3:5], today=today)
        _sold_round(picks["sold"], bidders=others[1:3], today=today)
        _live_round(picks["live"], bidders=[demo_buyer, others[0], others[1]], today=today)
        _announced_round(picks["announced"], today=today)
    return AuctionsSeeded(AuctionRound.objects.count(), 4)


def _pick(mode: str, used: set[int], *, seller: str | None = None) -> _Pick | None:
    """The first listing (by id) of a public seller on the market that offers `mode` (a licence: an ordinary one)
    and that nobody has enquired on, preferring `seller`'s; each listing once."""
    terms = (
        ListingTerms.objects.filter(
            mode=mode,
            is_open=True,
            listing__status=ListingStatus.PUBLISHED,
            listing__seller__kind__in=PUBLIC_SELLER_KINDS,
            listing__seller__verified=True,
            listing__negotiations__isnull=True,
        )
        .exclude(listing_id__in=used)
        .select_related("listing", "listing__seller", "listing__centre")
        .order_by("listing_id")
    )
    if mode == Mode.LICENCE:
        terms = [row for row in terms if LicenceType.ORDINARY in (row.licence_types or [])]
    candidates = list(terms)
    preferred = [row for row in candidates if seller and row.listing.seller.name == seller]
    for row in preferred or candidates:
        used.add(row.listing_id)
        return _Pick(row.listing, row)
    return None


def _firms() -> list[Organisation]:
    """The demo buyer's firm first, then the other verified firms that buy in the demo deals."""
    by_name = {org.name: org for org in Organisation.objects.filter(name__in=BUYERS, verified=True)}
    names = [DEMO_BUYER] + [name for name in BUYERS if name != DEMO_BUYER]
    return [by_name[name] for name in names if name in by_name]


def _wan(fen: int) -> int:
    """Down to the 万元, at least one."""
    return max(1_000_000, fen // 1_000_000 * 1_000_000)


def _prices(pick: _Pick) -> dict:
    """Start at about four fifths of what the listing asks, in steps of a fiftieth of it; a tenth as deposit."""
    asking = pick.terms.price_fen or pick.terms.upfront_fee_fen or pick.listing.asking_price_fen or 50_000_000
    start = _wan(asking * 4 // 5)
    return {"start_price_fen": start, "increment_fen": _wan(start // 50), "deposit_fen": _wan(start // 10)}


def _round_terms(pick: _Pick) -> dict:
    if pick.terms.mode == Mode.LICENCE:
        return {
            "mode": Mode.LICENCE,
            "licence_type": LicenceType.ORDINARY,
            "territory": pick.terms.territory or "中国大陆",
            "term_years": pick.terms.term_years or 5,
        }
    return {"mode": Mode.TRANSFER}


def _opened(pick: _Pick, *, starts: datetime, ends: datetime, **extra) -> AuctionRound:
    """The seller's signatory announces the round the centre's minimum announcement period (five days at
    least, so the bidders register before it starts) before bidding starts."""
    days = max(rules_for(pick.listing.centre_id).min_announcement_days, 5)
    with demo_clock(starts - timedelta(days=days, minutes=30)):
        return round_open(
            listing=pick.listing,
            actor=signatory_of(pick.listing.seller),
            bidding_starts_at=starts,
            bidding_ends_at=ends,
            extension_minutes=5,
            **_prices(pick),
            **_round_terms(pick),
            **extra,
        )


def _qualified(round_: AuctionRound, bidders: list[Organisation]) -> list[Deposit]:
    """Each firm registers on one of the last days before bidding starts and pays its deposit by bank transfer to
    the hosting centre's account: one staff member records it that afternoon, another confirms it the next
    morning (before bidding starts at ten)."""
    recorder, confirmer = recorder_and_confirmer(round_.centre)
    deposits = []
    for position, firm in enumerate(bidders):
        day = timezone.localtime(round_.bidding_starts_at).date() - timedelta(days=len(bidders) - position)
        with demo_clock(at(day, 10, 15)):
            deposit = deposit_register(round_=round_, organisation=firm, actor=signatory_of(firm))
        with demo_clock(at(day, 15, 30)):
            payment = bank_transfer_record(
                instalment=deposit.instalment,
                actor=recorder,
                payer=firm.name,
                amount_fen=deposit.instalment.amount_fen,
                transferred_on=day,
                bank_reference=f"DEMODEP{deposit.instalment.pk:08d}",
                evidence=SimpleUploadedFile("保证金回单.pdf", DEMO_LETTER, content_type="application/pdf"),
            )
        with demo_clock(at(day + timedelta(days=1), 9, 15)):
            bank_transfer_confirm(payment=payment, actor=confirmer)
        deposits.append(deposit)
    return deposits


def _bids(round_: AuctionRound, ladder: list[tuple[Organisation, int, timedelta]]) -> None:
    """(bidder, increments above the start price, time after bidding started), in order."""
    for firm, steps, after in ladder:
        with demo_clock(round_.bidding_starts_at + after):
            bid_place(
                round_=round_,
                bidder=firm,
                actor=signatory_of(firm),
                amount_fen=round_.start_price_fen + steps * round_.increment_fen,
            )


def _closed(round_: AuctionRound) -> AuctionRound:
    """The task runner records the outcome a minute after the end and returns the deposits that are not the
    winner's a few minutes later (the tasks' own service: the refunds it enqueues find nothing left to do)."""
    round_.refresh_from_db()
    with demo_clock(round_.ends_at + timedelta(minutes=1)):
        round_ = round_close(round_=round_)
    with demo_clock(round_.ends_at + timedelta(minutes=5)):
        for deposit_id in Deposit.objects.filter(round=round_).order_by("pk").values_list("pk", flat=True):
            deposit_refund_due(deposit_id=deposit_id)
    return round_


def _failed_round(pick: _Pick, *, bidders: list[Organisation], today: date) -> AuctionRound:
    """Seven weeks ago: the seller's undisclosed reserve was never reached (流拍)."""
    day = today - timedelta(days=50)
    prices = _prices(pick)
    round_ = _opened(
        pick,
        starts=at(day, 10),
        ends=at(day + timedelta(days=2), 16),
        reserve_fen=prices["start_price_fen"] + 10 * prices["increment_fen"],
    )
    _qualified(round_, bidders)
    _bids(round_, [(bidders[0], 0, timedelta(hours=2)), (bidders[1], 2, timedelta(days=1, hours=3))])
    return _closed(round_)


def _sold_round(pick: _Pick, *, bidders: list[Organisation], today: date) -> AuctionRound:
    """Ended six days ago: five bids, the last in the final hour; the winner's deal waits for its signatures."""
    day = today - timedelta(days=8)
    round_ = _opened(pick, starts=at(day, 10), ends=at(day + timedelta(days=2), 16))
    _qualified(round_, bidders)
    first, second = bidders
    _bids(
        round_,
        [
            (first, 0, timedelta(hours=1)),
            (second, 1, timedelta(hours=4)),
            (first, 2, timedelta(days=1, hours=2)),
            (second, 4, timedelta(days=2)),
            (first, 6, timedelta(days=2, hours=5)),
        ],
    )
    return _closed(round_)


def _live_round(pick: _Pick, *, bidders: list[Organisation], today: date) -> AuctionRound:
    """Bidding started yesterday morning and ends the day after tomorrow: the demo buyer's firm (bidder A) and a
    second firm have bid, the second holds the highest bid; a third firm has paid and not bid yet."""
    round_ = _opened(pick, starts=at(today - timedelta(days=1), 10), ends=at(today + timedelta(days=2), 16))
    _qualified(round_, bidders)
    first, second = bidders[0], bidders[1]
    _bids(
        round_,
        [
            (first, 0, timedelta(minutes=40)),
            (second, 1, timedelta(hours=2)),
            (first, 2, timedelta(hours=5, minutes=10)),
            (second, 4, timedelta(hours=8)),
        ],
    )
    return round_


def _announced_round(pick: _Pick, *, today: date) -> AuctionRound:
    """Announced today by staff of the hosting centre, with the centre's rules: bidding starts once the centre's
    announcement period has run (ten days by default), and whether one bidder suffices is the centre's rule."""
    rules = rules_for(pick.listing.centre_id)
    starts = at(today + timedelta(days=rules.min_announcement_days + 1), 10)
    recorder, _confirmer = recorder_and_confirmer(pick.listing.centre)
    prices = _prices(pick)
    return round_open(
        listing=pick.listing,
        actor=recorder,
        bidding_starts_at=starts,
        bidding_ends_at=starts + timedelta(days=3, hours=6),
        extension_minutes=5,
        reserve_fen=prices["start_price_fen"] + 5 * prices["increment_fen"],
        reserve_shown=True,
        **prices,
        **_round_terms(pick),
    )
