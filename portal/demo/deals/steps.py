"""One demo deal, step by step, through the platform's own services, each step at the moment it happened
(portal.demo.clock): the buyer enquires and offers, the seller (or, after a counter-offer, the buyer) accepts, both
signatories sign, the buyer's bank transfers are recorded by one staff member of the hosting centre and confirmed by
another, and a broker registers the contract. The receivers do the rest as on the site: the schedule, the
platform's signature on the contract (a task), the settlement, and the indicators ledger's bookings."""

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deals.contracts import contract_total_fen
from deals.models import Deal, PaymentMode
from deals.services.deals import contract_type_for, deal_register, deal_sign, equity_record_share_registration
from deals.services.negotiations import negotiation_open, offer_accept, offer_propose
from deals.services.notices import NOTICED_SELLER_KINDS, notice_signing_refusal
from listings.models import Listing, Mode
from marketplace.organisations.models import Organisation
from payments.models import Instalment, InstalmentKind, InstalmentStatus
from payments.services import bank_transfer_confirm, bank_transfer_record, royalty_report_submit
from portal.demo.clock import demo_clock
from portal.demo.deals.people import recorder_and_confirmer, signatory_of
from portal.demo.deals.plan import DemoDeal, Stage, at, days_to_complete
from portal.demo.listings import DEMO_SEED
from portal.demo.seed import DEMO_LETTER

MODE_WORDS = {Mode.LICENCE: "专利实施许可", Mode.TRANSFER: "专利权转让", Mode.EQUITY: "专利作价入股"}
# At most this many quarters of royalties reported after a royalty licence completes.
ROYALTY_QUARTERS = 6


def run_deal(demo: DemoDeal, *, listing: Listing, buyer: Organisation, today: date) -> Deal:
    """Call in a transaction: a deal that fails half-way must leave nothing behind."""
    buyer_person = signatory_of(buyer)
    seller_person = signatory_of(listing.seller)
    recorder, confirmer = recorder_and_confirmer(listing.centre)
    agreed_on = _agreed_on(demo, listing)
    opened = agreed_on - (demo.accepted_on - demo.opened_on)
    with demo_clock(at(opened, 9, 30)):
        negotiation = negotiation_open(
            listing=listing,
            mode=demo.mode,
            actor=buyer_person,
            buyer=buyer,
            message=f"您好，我们对「{listing.title}」很感兴趣，希望洽谈{MODE_WORDS[demo.mode]}，请提供技术资料。",
        )
    accepting = seller_person
    with demo_clock(at(opened + timedelta(days=1), 14)):
        offer = offer_propose(
            negotiation=negotiation, actor=buyer_person, terms=_lower(demo.terms) if demo.counter_offer else demo.terms
        )
    if demo.counter_offer:
        with demo_clock(at(opened + timedelta(days=3), 10, 15)):
            offer = offer_propose(negotiation=negotiation, actor=seller_person, terms=demo.terms)
        accepting = buyer_person
    with demo_clock(at(agreed_on, 15)):
        deal = offer_accept(offer=offer, actor=accepting)
    if demo.stage == Stage.AGREED and notice_signing_refusal(deal):
        return deal  # a university's price still publicly noticed today: nobody may sign yet
    with demo_clock(at(demo.accepted_on + timedelta(days=1), 10)):
        deal = deal_sign(deal=deal, actor=buyer_person)
    if demo.stage == Stage.AGREED:
        return deal  # the seller's signature is awaited
    with demo_clock(at(demo.accepted_on + timedelta(days=2), 11)):
        deal = deal_sign(deal=deal, actor=seller_person)
    if demo.stage == Stage.COMPLETED:
        _complete(demo, deal, recorder, confirmer)
        if demo.payment_mode == PaymentMode.ROYALTY:
            _royalties(demo, deal, buyer_person, recorder, confirmer, today)
    elif demo.stage == Stage.OVERDUE:
        for instalment in _fixed_instalments(deal):
            if instalment.due_date <= today - timedelta(days=30):
                _pay(instalment, recorder, confirmer, on=instalment.due_date - timedelta(days=3))
    elif demo.stage == Stage.AWAITING_CONFIRMATION:
        upfront = _fixed_instalments(deal).get(kind=InstalmentKind.UPFRONT)
        _pay(upfront, recorder, None, on=today - timedelta(days=2))
    return deal


def _agreed_on(demo: DemoDeal, listing: Listing) -> date:
    """The day the terms were agreed. A public university's or institute's agreed price is publicly noticed for
    settings.PRICE_NOTICE_DAYS before the contract may be signed (deals.services.notices): its demo deal was agreed
    that much earlier than the plan's day, so that it is signed, paid and booked on the plan's days, its notice
    over. A deal planned as only agreed keeps its day: its notice is still running today."""
    if demo.stage == Stage.AGREED or listing.seller.kind not in NOTICED_SELLER_KINDS:
        return demo.accepted_on
    return demo.accepted_on - timedelta(days=settings.PRICE_NOTICE_DAYS)


def _lower(terms: dict) -> dict:
    """The buyer's first offer: nine tenths of the amount finally agreed, to the 万元."""
    lowered = dict(terms)
    for field in ("upfront_fee_fen", "price_fen", "appraised_value_fen"):
        if lowered.get(field):
            lowered[field] = max(1_000_000, round(lowered[field] * 9 / 10 / 1_000_000) * 1_000_000)
    return lowered


def _fixed_instalments(deal: Deal):
    return Instalment.objects.filter(deal=deal).exclude(kind=InstalmentKind.ROYALTY).order_by("due_date", "sequence")


def _complete(demo: DemoDeal, deal: Deal, recorder, confirmer) -> None:
    """Pay what is due a few days early (or register the shares), then the broker registers the contract, which
    completes the deal: the day the ledger books it on."""
    if demo.mode == Mode.EQUITY:
        with demo_clock(at(demo.accepted_on + timedelta(days=24), 10)):
            equity_record_share_registration(
                deal=deal,
                actor=recorder,
                company=demo.terms["receiving_company"],
                share_percent=demo.terms["share_percent"],
                registered_on=timezone.localdate(),
                reference=f"演示股权登记-{deal.pk:06d}",
            )
    for instalment in _fixed_instalments(deal):
        _pay(instalment, recorder, confirmer, on=instalment.due_date - timedelta(days=3))
    completed_on = demo.accepted_on + timedelta(days=days_to_complete(demo.mode, demo.terms))
    with demo_clock(at(completed_on, 16)):
        total = contract_total_fen(deal.offer)
        deal_register(
            deal=deal,
            actor=recorder,
            number=f"演示技合登-{completed_on.year}-{deal.pk:06d}",
            registered_on=completed_on,
            contract_type=contract_type_for(deal),
            contract_total_fen=total,
            # A transfer hands over some equipment and samples with the patent: not technology (技术交易额).
            technology_amount_fen=total * 95 // 100 if demo.mode == Mode.TRANSFER else total,
        )


def _pay(instalment: Instalment, recorder, confirmer, *, on: date) -> None:
    """The buyer's transfer arrives on the centre's account: one staff member records it from the statement (with
    the bank's receipt), another confirms it the next morning; without a confirmer it waits for one."""
    with demo_clock(at(on, 10, 30)):
        payment = bank_transfer_record(
            instalment=instalment,
            actor=recorder,
            payer=instalment.deal.buyer.name,
            amount_fen=instalment.amount_fen,
            transferred_on=on,
            bank_reference=f"DEMO{instalment.pk:010d}",
            evidence=SimpleUploadedFile("银行回单.pdf", DEMO_LETTER, content_type="application/pdf"),
        )
    if confirmer is not None:
        with demo_clock(at(on + timedelta(days=1), 9, 15)):
            bank_transfer_confirm(payment=payment, actor=confirmer)


def _royalties(demo: DemoDeal, deal: Deal, buyer_person, recorder, confirmer, today: date) -> None:
    """The licensee reports each quarter's sales ten days after it ends and pays the royalty by transfer; the
    quarter whose royalty is not yet paid stays due (work for the buyer's pages)."""
    rng = random.Random(DEMO_SEED * 11 + demo.number)  # noqa: S311 - demo data wants reproducible draws
    completed_on = demo.accepted_on + timedelta(days=days_to_complete(demo.mode, demo.terms))
    start = _next_quarter(completed_on)
    for _quarter in range(ROYALTY_QUARTERS):
        end = _next_quarter(start) - timedelta(days=1)
        if end + timedelta(days=10) >= today:
            return
        with demo_clock(at(end + timedelta(days=10), 11)):
            report = royalty_report_submit(
                deal=deal,
                actor=buyer_person,
                period_start=start,
                period_end=end,
                sales_fen=rng.randrange(30, 200) * 1_000_000,  # 30万 to 200万元 of net sales a quarter
            )
        instalment = Instalment.objects.filter(royalty_report=report, status=InstalmentStatus.DUE).first()
        paid_on = end + timedelta(days=25)
        if instalment is not None and paid_on + timedelta(days=1) < today:
            _pay(instalment, recorder, confirmer, on=paid_on)
        start = end + timedelta(days=1)


def _next_quarter(day: date) -> date:
    """The first day of the quarter after the one `day` is in."""
    month = (day.month - 1) // 3 * 3 + 4
    return date(day.year + (month > 12), (month - 1) % 12 + 1, 1)
