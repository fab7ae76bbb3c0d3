"""A bidding round (挂牌竞价) in Chromium, from the seller's form to the result notice, with two bidders live.

宁波大学's seller opens a transfer round on one of its listings from the workspace panel, with bidding 11 days out
(the centre announces a round at least 10 days before it). Two firms register and pay their deposits by bank
transfer, recorded by one Ningbo broker and confirmed by a second (the money step, through the payments services as
tests/auctions/factories.py does it). The announcement period passes; the two firms' signatories watch the round
in two browsers and bid against each other: each sees the other's bid arrive without reloading, under a pseudonym
(竞买人 A / B), and its own as 我方; a bid below the minimum is refused with the minimum; a bid in the last minutes
extends the end, on both pages. The end passes, the outcome is recorded as the task runner records it, and the
pages show the result notice (成交公告) with the price and the buyer; the winner's people find the deal.

"The days go by" by moving the round's times in the database, as the factories do (bidding_started / ended).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_path fixture then skips these journeys, or fails them under CI
    expect = None

from tests.journeys.ui import ROOT, screenshot, zh

pytestmark = pytest.mark.browser

# People made for this journey (the demo has no account for 宁波大学 or a second bidding firm); TEST_PASSWORD.
SELLER = "seller.nbu@journey.ipx.cn"  # administrator and signatory of 宁波大学
RIVAL = "bidder.yongxin@journey.ipx.cn"  # signatory of 宁波甬新材料科技有限公司
SECOND_BROKER = "broker2.ningbo@journey.ipx.cn"  # a second broker of the Ningbo exchange: confirms transfers
PASSWORD = "correct-horse-battery"  # tests.factories.TEST_PASSWORD
# Demo people: the first bidder's signatory and its plain member.
BUYER = "buyer@demo.ipx.cn"  # administrator and signatory of 杭州数衡智能科技有限公司
COLLEAGUE = "member@demo.ipx.cn"  # a member of 杭州数衡智能科技有限公司, not a signatory
BROKER = "broker.ningbo@demo.ipx.cn"  # 宁波知识产权交易中心, which hosts 宁波大学's listings

UNIVERSITY = "宁波大学"
FIRM = "杭州数衡智能科技有限公司"
RIVAL_FIRM = "宁波甬新材料科技有限公司"
LISTING_TITLE = "挂牌竞价旅程：海水淡化用石墨烯复合膜制备技术"
ZONE = ZoneInfo("Asia/Shanghai")
EXTENSION_MINUTES = 5


def _manage_shell(site, code: str) -> dict:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**site.env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _run(site, function: str, **kwargs) -> dict:
    """Run one of this module's functions inside the site (its settings and database)."""
    arguments = ", ".join(f"{name}={value!r}" for name, value in kwargs.items())
    return _manage_shell(site, f"from tests.journeys.test_auction_round import {function} as f; f({arguments})")


# --- Run inside the site (manage.py shell) -----------------------------------------------------------------------


def people_and_listing() -> None:
    """宁波大学's seller, a second bidding firm's signatory and a second Ningbo broker, and a listing of 宁波大学 on
    the market that offers a transfer (submitted by its seller, published by the Ningbo broker); prints its id."""
    from listings.models import Patent
    from marketplace.accounts.services import privacy_consent_record
    from marketplace.centres.models import CentreStaff, StaffRole
    from marketplace.organisations.models import Organisation
    from tests.factories import ListingFactory, PatentFactory, UserFactory, listing_on_market, signatory_member

    # A new process starts the factories' sequences again: start them past what the site holds.
    start = (Patent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) * 10 + 7000
    for factory in (PatentFactory, ListingFactory):
        factory.reset_sequence(start)
    university = Organisation.objects.get(name=UNIVERSITY)
    rival_firm = Organisation.objects.get(name=RIVAL_FIRM)
    assert rival_firm.verified
    seller = signatory_member(university, email=SELLER, display_name="宁波大学 科技成果转化办公室")
    rival = signatory_member(rival_firm, email=RIVAL, display_name="甬新材料 投资总监 郑涛")
    for person in (seller, rival):  # they signed up like anyone else: the privacy notice is agreed
        privacy_consent_record(user=person, ip_address=None)
    broker = CentreStaff.objects.get(user__email=BROKER).user
    CentreStaff.objects.create(
        centre=university.centre,
        user=UserFactory(email=SECOND_BROKER, display_name="宁波经纪人 吴丹"),
        role=StaffRole.BROKER,
    )
    listing = listing_on_market(
        seller=university,
        seller_user=seller,
        broker=broker,
        title=LISTING_TITLE,
        terms=[{"mode": "transfer", "price_fen": 150_000_000}],
    )
    print(json.dumps({"listing": listing.pk}))


def deposits_paid(round_id: int) -> None:
    """Both firms register (杭州数衡 first: 竞买人 A) and pay their deposits by bank transfer, recorded by the Ningbo
    broker and confirmed by the second, through the payments services (tests/auctions/factories.py)."""
    from auctions.models import AuctionRound
    from auctions.services import deposit_register
    from marketplace.accounts.models import User
    from marketplace.organisations.models import Organisation
    from tests.auctions.factories import deposit_paid

    round_ = AuctionRound.objects.get(pk=round_id)
    statuses = []
    for email, firm in ((BUYER, FIRM), (RIVAL, RIVAL_FIRM)):
        deposit = deposit_register(
            round_=round_, organisation=Organisation.objects.get(name=firm), actor=User.objects.get(email=email)
        )
        deposit = deposit_paid(
            deposit,
            recorded_by=User.objects.get(email=BROKER),
            confirmed_by=User.objects.get(email=SECOND_BROKER),
        )
        statuses.append([deposit.pseudonym_index, deposit.status])
    print(json.dumps({"deposits": statuses}))


def clock_moves(round_id: int, *, starts_minutes_ago: int | None = None, ends_in_minutes: float) -> None:
    """The round's clock moves: bidding started `starts_minutes_ago` (if given) and ends in `ends_in_minutes`; an
    end not yet extended moves with the announced end."""
    from django.utils import timezone

    from auctions.models import AuctionRound

    now = timezone.now()
    round_ = AuctionRound.objects.get(pk=round_id)
    ends = now + timedelta(minutes=ends_in_minutes)
    fields = {"ends_at": ends}
    if starts_minutes_ago is not None:
        fields["bidding_starts_at"] = now - timedelta(minutes=starts_minutes_ago)
    if round_.ends_at == round_.bidding_ends_at:
        fields["bidding_ends_at"] = ends
    AuctionRound.objects.filter(pk=round_id).update(**fields)
    print(json.dumps({"ends_at": ends.isoformat()}))


def bidding_ends_and_is_closed(round_id: int) -> None:
    """The end passes, and the outcome is recorded as the task runner's sweep (auctions.tasks.close_ended_rounds)
    records it, by auctions.services.round_close, without waiting for its next minute. One transaction: the sweep,
    running meanwhile, never finds the round ended but not yet closed."""
    from django.db import transaction
    from django.utils import timezone

    from auctions.models import AuctionRound
    from auctions.services import round_close

    with transaction.atomic():
        now = timezone.now()
        round_ = AuctionRound.objects.select_for_update().get(pk=round_id)
        past = now - timedelta(seconds=1)
        fields = {"ends_at": past, "bidding_ends_at": min(round_.bidding_ends_at, past)}
        AuctionRound.objects.filter(pk=round_id).update(**fields)
        round_ = round_close(round_=round_)
    print(json.dumps({"status": round_.status, "price_fen": round_.price_fen, "deal": round_.deal_id}))


def round_ends_at(round_id: int) -> None:
    from auctions.models import AuctionRound

    round_ = AuctionRound.objects.get(pk=round_id)
    print(json.dumps({"ends_at": round_.ends_at.isoformat(), "bidding_ends_at": round_.bidding_ends_at.isoformat()}))


# --- The journey ------------------------------------------------------------------------------------------------


@dataclass
class Journey:
    listing: int = 0
    round: int = 0
    round_url: str = ""


def flash(page):
    return page.get_by_role("main").locator(".messages")


def ladder_rows(page):
    return page.locator("#auction-ladder tbody tr")


def moment(iso: str) -> str:
    """A moment as the site writes it (marketplace/core/templatetags/moments.py), in Asia/Shanghai."""
    return datetime.fromisoformat(iso).astimezone(ZONE).strftime("%Y-%m-%d %H:%M")


def seconds_left(page) -> int:
    text = page.locator("#auction-countdown").inner_text()
    match = re.fullmatch(r"(?:(\d+)\D+ )?(\d\d):(\d\d):(\d\d)", text.strip())
    assert match, text
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


# True once the countdown shows more than `seconds` left (it redraws twice a second).
COUNTDOWN_ABOVE = """(seconds) => {
  const match = document.getElementById("auction-countdown").textContent.match(/(\\d\\d):(\\d\\d):(\\d\\d)$/);
  return match !== null && Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) > seconds;
}"""


def placed_just_now(text: str) -> bool:
    """A bid's time of day on the ladder is this moment's in Asia/Shanghai (not UTC), give or take two minutes."""
    now = datetime.now(ZONE)
    shown = datetime.strptime(text, "%H:%M:%S").time()
    candidates = (datetime.combine(now.date() + timedelta(days=shift), shown, ZONE) for shift in (-1, 0, 1))
    return any(abs(candidate - now) < timedelta(minutes=2) for candidate in candidates)


def watch_live(page, url: str) -> None:
    """Open the round's page and wait until its socket is up; mark the document, so that a reload shows."""
    page.goto(url)
    expect(page.locator("#auction-connection")).to_have_text(zh("Live"))
    page.evaluate("window.sameDocument = true")


def still_the_same_document(page) -> bool:
    return page.evaluate("window.sameDocument === true")


def bid(page, yuan: str) -> None:
    form = page.locator("#bid-form")
    form.get_by_label(zh("Your bid (yuan)")).fill(yuan)
    form.get_by_role("button", name=zh("Bid"), exact=True).click()


class TestTwoFirmsBidLiveAndTheRoundIsSold:
    journey = Journey()

    def test_a_the_university_announces_a_round_through_the_form(self, people, live_site):
        type(self).journey.listing = _run(live_site, "people_and_listing")["listing"]

        seller = people.member(SELLER, PASSWORD)
        seller.goto("/workspace/")
        panel = seller.locator("section[aria-labelledby=auctions-panel-title]")
        expect(panel).to_contain_text(zh("Put a listing up for bidding"))
        item = panel.locator("li", has_text=LISTING_TITLE)
        item.get_by_role("link", name=zh("Open a bidding round")).click()
        expect(seller).to_have_url(re.compile(rf"/auctions/new/{type(self).journey.listing}/$"))
        expect(seller.get_by_role("heading", level=1)).to_have_text(zh("Open a bidding round"))
        expect(seller.get_by_role("main")).to_contain_text(LISTING_TITLE)

        starts = (datetime.now(ZONE) + timedelta(days=11)).replace(second=0, microsecond=0)
        form = seller.get_by_role("main").locator("form")
        form.get_by_label(zh("What is sold")).select_option("transfer")
        form.get_by_label(zh("Start price (yuan)")).fill("1000000")
        form.get_by_label(zh("Minimum increment (yuan)")).fill("50000")
        form.get_by_label(zh("Deposit (yuan)")).fill("100000")
        form.get_by_label(zh("Bidding starts")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
        form.get_by_label(zh("Bidding ends")).fill((starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
        form.get_by_label(zh("Extension (minutes)")).fill(str(EXTENSION_MINUTES))
        screenshot(seller, "auction-1-the-seller-fills-in-the-round")
        form.get_by_role("button", name=zh("Announce the round")).click()

        expect(seller).to_have_url(re.compile(r"/auctions/\d+/$"))
        expect(flash(seller)).to_contain_text(zh("The bidding round is announced."))
        expect(seller.locator("#auction-phase")).to_have_text(zh("Announced: bidding has not started"))
        expect(seller.locator("#auction-ends")).to_have_text(moment((starts + timedelta(hours=1)).isoformat()))
        expect(seller.locator("#auction-minimum")).to_have_text("¥1,000,000.00")
        expect(seller.locator("#bid-form")).to_have_count(0)  # the seller does not bid
        assert seconds_left(seller) > 10 * 24 * 3600  # counting down to the start, 11 days out
        screenshot(seller, "auction-2-the-round-is-announced")
        type(self).journey.round_url = re.sub(r"^https?://[^/]+", "", seller.url)
        type(self).journey.round = int(re.search(r"/auctions/(\d+)/", seller.url).group(1))

    def test_b_two_firms_qualify_and_bidding_starts(self, people, live_site):
        journey = type(self).journey
        paid = _run(live_site, "deposits_paid", round_id=journey.round)
        assert paid == {"deposits": [[0, "paid"], [1, "paid"]]}
        _run(live_site, "clock_moves", round_id=journey.round, starts_minutes_ago=1, ends_in_minutes=30)

        buyer, rival = people.member(BUYER), people.member(RIVAL, PASSWORD)
        for page, firm, pseudonym in ((buyer, FIRM, "A"), (rival, RIVAL_FIRM, "B")):
            watch_live(page, journey.round_url)
            expect(page.locator("#auction-phase")).to_have_text(zh("Bidding"))
            registration = page.get_by_role("main").locator("li", has_text=firm)
            expect(registration).to_contain_text(zh("Bidder %(letters)s", letters=pseudonym))
            expect(registration).to_contain_text(zh("Paid: may bid"))
            expect(page.locator("#bid-form").get_by_label(zh("Bid for"))).to_have_text(firm)
            expect(ladder_rows(page)).to_have_text([zh("No bid yet.")])
        screenshot(rival, "auction-3-a-qualified-bidder-waits-for-the-first-bid")

    def test_c_each_sees_the_others_bid_live_under_a_pseudonym(self, people):
        buyer, rival = people.member(BUYER), people.member(RIVAL, PASSWORD)

        bid(buyer, "1000000")
        expect(buyer.locator("#auction-notice")).to_have_text(zh("Your bid is the highest."))
        for page, who in ((buyer, zh("You")), (rival, zh("Bidder %(letters)s", letters="A"))):
            expect(ladder_rows(page)).to_have_count(1)
            expect(ladder_rows(page).first.locator("td").nth(1)).to_have_text(who)
            expect(ladder_rows(page).first.locator("td").nth(2)).to_have_text("¥1,000,000.00")
            expect(page.locator("#auction-price")).to_have_text("¥1,000,000.00")
            expect(page.locator("#auction-minimum")).to_have_text("¥1,050,000.00")
        expect(rival.get_by_role("main")).not_to_contain_text(FIRM)  # bidders see each other by pseudonym only
        assert placed_just_now(ladder_rows(rival).first.locator("td").nth(3).inner_text())
        screenshot(rival, "auction-4-the-rival-sees-bidder-a-live")

        bid(rival, "1020000")  # below the current price plus the increment
        expect(rival.locator("#auction-notice")).to_have_text(
            zh("A bid must be at least %(minimum)s (the current price plus the increment).", minimum="¥1,050,000.00")
        )
        for page in (buyer, rival):
            expect(ladder_rows(page)).to_have_count(1)
            expect(page.locator("#auction-price")).to_have_text("¥1,000,000.00")
        screenshot(rival, "auction-5-a-bid-below-the-minimum-is-refused")

        bid(rival, "1050000")
        expect(rival.locator("#auction-notice")).to_have_text(zh("Your bid is the highest."))
        for page, who in ((rival, zh("You")), (buyer, zh("Bidder %(letters)s", letters="B"))):
            expect(ladder_rows(page)).to_have_count(2)
            expect(ladder_rows(page).first.locator("td").nth(1)).to_have_text(who)
            expect(ladder_rows(page).first.locator("td").nth(2)).to_have_text("¥1,050,000.00")
            expect(page.locator("#auction-price")).to_have_text("¥1,050,000.00")
        expect(ladder_rows(buyer).nth(1).locator("td").nth(1)).to_have_text(zh("You"))
        # Beaten: the buyer's page no longer says its bid is the highest.
        expect(buyer.locator("#auction-notice")).not_to_have_text(zh("Your bid is the highest."))
        expect(buyer.get_by_role("main")).not_to_contain_text(RIVAL_FIRM)
        assert still_the_same_document(buyer) and still_the_same_document(rival)  # nobody reloaded
        screenshot(buyer, "auction-6-the-buyer-is-outbid-by-bidder-b")

    def test_d_a_bid_in_the_last_minutes_extends_the_end_on_both_pages(self, people, live_site):
        journey = type(self).journey
        _run(live_site, "clock_moves", round_id=journey.round, ends_in_minutes=EXTENSION_MINUTES - 1)
        buyer, rival = people.member(BUYER), people.member(RIVAL, PASSWORD)
        for page in (buyer, rival):  # the clock moved in the database: the pages learn it as a visitor would
            watch_live(page, journey.round_url)
            expect(page.locator("#auction-extended")).to_be_hidden()
            assert seconds_left(page) <= (EXTENSION_MINUTES - 1) * 60

        bid(buyer, "1100000")
        for page in (buyer, rival):
            expect(page.locator("#auction-notice")).to_have_text(zh("A bid in the last minutes: bidding is extended."))
        ends = _run(live_site, "round_ends_at", round_id=journey.round)
        extended_by = datetime.fromisoformat(ends["ends_at"]) - datetime.fromisoformat(ends["bidding_ends_at"])
        assert extended_by == timedelta(minutes=EXTENSION_MINUTES)
        for page in (buyer, rival):
            expect(page.locator("#auction-ends")).to_have_text(moment(ends["ends_at"]))
            expect(page.locator("#auction-extended")).to_be_visible()
            expect(page.locator("#auction-extended")).to_contain_text(zh("extended"))
            expect(page.locator("#auction-price")).to_have_text("¥1,100,000.00")
            # The countdown runs to the new end: more than the extension is left now.
            page.wait_for_function(COUNTDOWN_ABOVE, arg=EXTENSION_MINUTES * 60)
            assert still_the_same_document(page)
        expect(ladder_rows(rival).first.locator("td").nth(1)).to_have_text(zh("Bidder %(letters)s", letters="A"))
        screenshot(rival, "auction-7-the-end-moves-later-on-the-rivals-page")

        buyer.reload()  # as the server renders it
        expect(buyer.locator("#auction-ends")).to_have_text(moment(ends["ends_at"]))
        expect(buyer.locator("#auction-extended")).to_be_visible()

    def test_e_the_end_passes_and_the_pages_show_the_result_notice(self, people, live_site):
        journey = type(self).journey
        buyer, rival = people.member(BUYER), people.member(RIVAL, PASSWORD)
        for page in (buyer, rival):
            watch_live(page, journey.round_url)
        closed = _run(live_site, "bidding_ends_and_is_closed", round_id=journey.round)
        assert closed["status"] == "sold" and closed["price_fen"] == 110_000_000 and closed["deal"]

        if not os.environ.get("REDIS_URL"):
            # The embedded default's in-memory channel layer lives in the server's process: the outcome recorded
            # by another process (the task runner, here manage.py) reaches open pages only through Redis.
            for page in (buyer, rival):
                page.reload()
        # The notice up to its moment (when the outcome was recorded, which the test does not predict).
        notice_text = zh(
            "Sold at %(price)s to %(buyer)s (%(moment)s).", price="¥1,100,000.00", buyer=FIRM, moment="<moment>"
        ).split("<moment>")[0]
        for page in (buyer, rival):
            result = page.locator("section[aria-labelledby=result-title]")
            expect(result.get_by_role("heading")).to_have_text(zh("Result notice"))
            expect(result).to_contain_text(notice_text)
            expect(result).to_contain_text(FIRM)
            expect(page.locator("#auction-phase")).to_have_text(zh("Sold"))
            expect(page.locator("#bid-form")).to_have_count(0)
        deal_link = zh("The deal: contract, registration and payment")
        expect(buyer.get_by_role("link", name=deal_link)).to_be_visible()
        expect(rival.get_by_role("link", name=deal_link)).to_have_count(0)  # the loser sees the notice only
        screenshot(rival, "auction-8-the-loser-reads-the-result-notice")

        buyer.get_by_role("link", name=deal_link).click()
        expect(buyer).to_have_url(re.compile(r"/deals/\d+/$"))
        expect(buyer.get_by_role("heading", level=1)).to_contain_text(LISTING_TITLE)
        expect(buyer.get_by_role("main")).to_contain_text("¥1,100,000.00")
        deal_url = re.sub(r"^https?://[^/]+", "", buyer.url)
        screenshot(buyer, "auction-9-the-winner-opens-the-deal")

        # The winner's other people find it too: a colleague who is not a signatory, from the round's page.
        colleague = people.member(COLLEAGUE)
        colleague.goto(journey.round_url)
        colleague.get_by_role("link", name=deal_link).click()
        expect(colleague).to_have_url(re.compile(re.escape(deal_url) + "$"))
        # And the seller, whose round it was.
        seller = people.member(SELLER, PASSWORD)
        seller.goto(journey.round_url)
        expect(seller.get_by_role("link", name=deal_link)).to_have_attribute("href", deal_url)

        # The public reads the notice, with the bidders' pseudonyms on the ladder and no deal link.
        visitor = people.visitor("auction-visitor")
        visitor.goto("/auctions/")
        result = visitor.locator(".result-list li", has_text=LISTING_TITLE)
        expect(result).to_contain_text("¥1,100,000.00")
        result.get_by_role("link", name=LISTING_TITLE).click()
        expect(visitor.get_by_role("heading", name=zh("Result notice"))).to_be_visible()
        expect(visitor.get_by_role("link", name=deal_link)).to_have_count(0)
        expect(ladder_rows(visitor).locator("td:nth-child(2)")).to_have_text(
            [zh("Bidder %(letters)s", letters=letter) for letter in "ABA"]
        )
        for time in visitor.locator("#auction-ladder tbody time").all():  # as the server writes them
            placed = datetime.fromisoformat(time.get_attribute("datetime")).astimezone(ZONE)
            assert time.inner_text() == placed.strftime("%H:%M:%S")
        screenshot(visitor, "auction-10-the-public-reads-the-result")
