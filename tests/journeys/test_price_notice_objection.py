"""A public notice of an agreed price (协议定价公示) in Chromium, objected to and cleared.

浙江大学 and 杭州数衡智能科技 agree a licence in the negotiation room; since the seller is a public university and the
price was agreed, the deal is published on /notices/ for the notice period before its contract may be signed. A
visitor reads the notice; a member of a third organisation (宁波材料所) files an objection with reasons; the buyer
finds the deal paused, with the reason, on its deal page; a technology manager of the hosting centre (浙大技术转移中心)
reads the objection and dismisses it; the deal proceeds, and once the period is over both parties sign.

The journeys' shared site runs with PRICE_NOTICE_DAYS=0 (the other journeys sign a university's deal the day it is
agreed). This one talks to a second server on the same database and files whose only difference is the legal
15-day period, so the notice made in the room is open while the journey runs; "the days go by" by moving the
notice's period back in the database, as tests/deals/test_price_notices.py does.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_path fixture then skips these journeys, or fails them under CI
    expect = None

from tests.journeys.ui import ROOT, screenshot, zh
from tests.servers import free_port, running
from tests.sites import uvicorn_command

pytestmark = pytest.mark.browser

SELLER = (
    "seller.zju@demo.ipx.cn"  # administrator and signatory of 浙江大学 (a university: its agreed prices are noticed)
)
BUYER = "buyer@demo.ipx.cn"  # administrator and signatory of 杭州数衡智能科技有限公司
OBJECTOR = "seller.nimte@demo.ipx.cn"  # 中国科学院宁波材料技术与工程研究所: neither party to the deal
BROKER = "broker.zju@demo.ipx.cn"  # staff of 浙江大学技术转移中心, the centre that hosts 浙江大学's listings
UNIVERSITY = "浙江大学"
FIRM = "杭州数衡智能科技有限公司"
LISTING_TITLE = "协议定价公示旅程：高镍正极材料包覆技术"
AGREED_UPFRONT_FEE = "80000"
REASONS = "该专利去年评估价值为120万元，现协议价格明显偏低，请核查是否造成国有资产流失。"
DECISION = "已核对评估报告与许可范围：普通许可、仅限储能领域，价格合理。"
NOTICE_DAYS = "15"


def _manage_shell(site, code: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**site.env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def listing_of_the_university() -> None:
    """Run inside the site (manage.py shell): a listing of 浙江大学 on the market, submitted by its demo seller and
    published by the centre's demo broker through the listing services; prints its id."""
    from listings.models import Patent
    from marketplace.accounts.models import User
    from marketplace.organisations.models import Organisation
    from tests.factories import ListingFactory, PatentFactory, listing_on_market

    # A new process starts the factories' sequences again: start them past what the site holds.
    start = (Patent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) * 10 + 5000
    for factory in (PatentFactory, ListingFactory):
        factory.reset_sequence(start)
    university = Organisation.objects.get(name=UNIVERSITY)
    listing = listing_on_market(
        seller=university,
        seller_user=User.objects.get(email=SELLER),
        broker=User.objects.get(email=BROKER),
        title=LISTING_TITLE,
        licence={"upfront_fee_fen": 10_000_000},
    )
    print(json.dumps({"listing": listing.pk}))


def days_go_by(notice_id: int) -> None:
    """Run inside the site: the notice's period moves 16 days back, as if they had gone by."""
    from datetime import timedelta

    from django.db.models import F

    from deals.models import PriceNotice

    moved = PriceNotice.objects.filter(pk=notice_id).update(
        starts_at=F("starts_at") - timedelta(days=16), ends_at=F("ends_at") - timedelta(days=16)
    )
    print(json.dumps({"moved": moved}))


@pytest.fixture(scope="module")
def live_site(live_site, tmp_path_factory) -> Iterator:
    """For this module, the journeys' site (tests/journeys/conftest.py) as served by a second server: the same
    database, files and secret key, and the legal notice period. The `people` of this journey browse it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**live_site.env, "PRICE_NOTICE_DAYS": NOTICE_DAYS, "SITE_URL": url}
    log = tmp_path_factory.mktemp("noticed-site") / "uvicorn.log"
    with running(uvicorn_command(port), env=env, log=log, ready_url=f"{url}/healthz", what="uvicorn (15 days)"):
        yield replace(live_site, url=url, server_log=log, env=env)


@dataclass
class Journey:
    deal_url: str = ""
    notice_url: str = ""


def flash(page):
    return page.get_by_role("main").locator(".messages")


def before_placeholder(msgid: str) -> str:
    """The Chinese of a message up to its first placeholder (a date the test does not predict)."""
    return zh(msgid).split("%(")[0]


def sign_button(page):
    return page.get_by_role("button", name=zh("Sign the contract"))


class TestAnObjectionToAPublicNoticeIsDismissedAndTheDealProceeds:
    journey = Journey()

    def test_a_the_university_and_the_firm_agree_a_price_in_the_room(self, people, live_site):
        listing = json.loads(
            _manage_shell(
                live_site,
                "from tests.journeys.test_price_notice_objection import listing_of_the_university as f; f()",
            )
        )["listing"]

        buyer = people.member(BUYER)
        buyer.goto(f"/patents/{listing}/")
        expect(buyer.get_by_role("heading", level=1)).to_have_text(LISTING_TITLE)
        buyer.get_by_role("link", name=zh("Enquire"), exact=True).click()
        buyer.get_by_label(zh("Licence"), exact=True).check()
        buyer.get_by_label(zh("Message to the seller (optional)")).fill("我们希望在储能领域获得普通许可。")
        buyer.get_by_role("button", name=zh("Send the enquiry (free)")).click()
        expect(flash(buyer)).to_contain_text(
            zh("Your enquiry is sent. The seller and a broker of the centre will answer here.")
        )
        room = buyer.url

        seller = people.member(SELLER)
        seller.goto(room)
        expect(seller.locator("#room-history")).to_contain_text("我们希望在储能领域获得普通许可")
        seller.get_by_label(zh("Licence type")).select_option(label=zh("Ordinary (non-exclusive) licence"))
        seller.get_by_label(zh("Upfront fee (yuan)")).fill(AGREED_UPFRONT_FEE)
        seller.get_by_role("button", name=zh("Put this version on the table")).click()
        expect(flash(seller)).to_contain_text(zh("Version %(version)s is on the table.", version=1))

        buyer.goto(room)
        expect(buyer.locator("#offer-panel section").first).to_contain_text("¥80,000")
        buyer.get_by_role("button", name=zh("Accept version %(number)s", number=1)).click()
        expect(buyer).to_have_url(re.compile(r"/deals/\d+/$"))
        type(self).journey.deal_url = buyer.url

        # The deal is agreed but its price is publicly noticed first: no signing yet, and the page says until when.
        notice = buyer.locator(".deal-price-notice")
        expect(notice).to_contain_text(zh("Open for objections", "price notice status"))
        expect(notice.locator(".notice-refusal")).to_contain_text(
            before_placeholder(
                "The agreed price is publicly noticed until %(end)s (促进科技成果转化法 art. 18): the contract can be "
                "signed after that, if no objection is under review."
            )
        )
        expect(sign_button(buyer)).to_have_count(0)
        screenshot(buyer, "notice-1-the-buyer-sees-the-price-noticed-before-signing")
        type(self).journey.notice_url = notice.get_by_role(
            "link", name=zh("Public notice of the agreed price")
        ).get_attribute("href")

    def test_b_a_visitor_reads_the_notice_on_the_public_list(self, people):
        visitor = people.visitor()
        visitor.goto("/notices/")
        expect(visitor.get_by_role("heading", level=1)).to_have_text(zh("Public notices of agreed prices"))
        row = visitor.locator(".notice-table tbody tr", has_text=LISTING_TITLE)
        expect(row).to_have_count(1)
        for text in (UNIVERSITY, FIRM, "¥80,000", zh("Open for objections", "price notice status")):
            expect(row).to_contain_text(text)
        screenshot(visitor, "notice-2-a-visitor-finds-it-on-the-list")

        row.get_by_role("link", name=LISTING_TITLE).click()
        expect(visitor).to_have_url(re.compile(re.escape(type(self).journey.notice_url) + "$"))
        main = visitor.get_by_role("main")
        expect(main).to_contain_text(zh("Agreement between the parties (协议定价)"))
        expect(main.get_by_role("link", name=zh("Sign in to object to this notice."))).to_be_visible()
        expect(main.get_by_label(zh("Your reasons"))).to_have_count(0)  # a visitor cannot object
        screenshot(visitor, "notice-3-the-notice-asks-a-visitor-to-sign-in-to-object")

    def test_c_a_member_of_a_third_organisation_objects_with_reasons(self, people):
        objector = people.member(OBJECTOR)
        objector.goto(type(self).journey.notice_url)
        objector.get_by_label(zh("Your reasons")).fill(REASONS)
        screenshot(objector, "notice-4-a-third-party-writes-an-objection")
        objector.get_by_role("button", name=zh("File the objection")).click()
        expect(flash(objector)).to_contain_text(
            zh("Your objection is filed: the deal is paused until staff review it.")
        )
        expect(objector.locator(".notice-status")).to_have_text(zh("Objection under review"))

        # The visitor still has the notice open: their browser may keep a public page for a minute (its
        # Cache-Control), so they reload it, and the server, whose stored copy the objection made stale, answers anew.
        visitor = people.visitor()
        expect(visitor).to_have_url(re.compile(re.escape(type(self).journey.notice_url) + "$"))
        visitor.reload()
        main = visitor.get_by_role("main")
        expect(main).to_contain_text(
            zh("An objection is under review: the deal is paused until the hosting centre's staff resolve it.")
        )
        expect(main).not_to_contain_text(REASONS)  # the reasons are for the staff and the parties
        screenshot(visitor, "notice-5-the-public-sees-the-deal-paused")

    def test_d_the_buyer_finds_the_deal_paused_with_the_reason(self, people):
        buyer = people.member(BUYER)
        buyer.goto(type(self).journey.deal_url)
        notice = buyer.locator(".deal-price-notice")
        expect(notice).to_contain_text(zh("Objection under review"))
        expect(notice.locator(".notice-refusal")).to_have_text(
            zh(
                "An objection to the public notice of this deal's price is under review: the contract cannot be "
                "signed until staff resolve it."
            )
        )
        expect(sign_button(buyer)).to_have_count(0)
        screenshot(buyer, "notice-6-the-buyer-sees-the-deal-paused")

    def test_e_the_hosting_centres_staff_dismiss_the_objection(self, people):
        broker = people.member(BROKER)
        broker.goto(type(self).journey.notice_url)
        objection = broker.locator("li.objection", has_text=REASONS)
        expect(objection).to_contain_text(zh("Under review"))
        objection.get_by_label(zh("Dismiss: the deal proceeds")).check()
        objection.get_by_label(zh("Reason")).fill(DECISION)  # "原因 *": the field is required
        screenshot(broker, "notice-7-the-centres-staff-read-and-decide")
        objection.get_by_role("button", name=zh("Record the decision")).click()

        expect(flash(broker)).to_contain_text(zh("The objection is dismissed: the deal proceeds."))
        expect(broker.locator(".notice-status")).to_have_text(zh("Open for objections", "price notice status"))
        decided = broker.locator("li.objection", has_text=REASONS)
        expect(decided).to_contain_text(zh("Dismissed"))
        expect(decided).to_contain_text(DECISION)
        expect(decided.get_by_role("button", name=zh("Record the decision"))).to_have_count(0)

        objector = people.member(OBJECTOR)
        objector.goto(type(self).journey.notice_url)
        expect(objector.locator("li.objection", has_text=REASONS)).to_contain_text(DECISION)
        screenshot(objector, "notice-8-the-objector-reads-the-decision")

    def test_f_the_deal_proceeds_and_is_signed_once_the_period_is_over(self, people, live_site):
        buyer, seller = people.member(BUYER), people.member(SELLER)
        deal_url = type(self).journey.deal_url
        for page in (buyer, seller):
            page.goto(deal_url)
            # Released: only the notice period itself still runs.
            expect(page.locator(".notice-refusal")).to_contain_text(
                before_placeholder(
                    "The agreed price is publicly noticed until %(end)s (促进科技成果转化法 art. 18): the contract "
                    "can be signed after that, if no objection is under review."
                )
            )
            expect(sign_button(page)).to_have_count(0)
        screenshot(seller, "notice-9-the-seller-sees-the-deal-released-until-the-period-ends")

        notice_id = int(re.search(r"/notices/(\d+)/", type(self).journey.notice_url).group(1))
        moved = _manage_shell(
            live_site, f"from tests.journeys.test_price_notice_objection import days_go_by; days_go_by({notice_id})"
        )
        assert json.loads(moved) == {"moved": 1}

        for who, page in (("seller", seller), ("buyer", buyer)):
            page.goto(deal_url)
            expect(page.locator(".deal-price-notice")).to_contain_text(
                zh("The notice period is over with no objection under review: the contract may be signed.")
            )
            page.get_by_label(zh("I have read the contract and confirm it on behalf of my organisation.")).check()
            page.get_by_role("button", name=zh("Sign the contract")).click()
            expect(flash(page)).to_be_visible()
            screenshot(page, f"notice-10-the-{who}-signs")
        expect(flash(buyer)).to_contain_text(zh("Both parties have signed: the contract is signed."))

        visitor = people.visitor()
        visitor.reload()  # still on the notice's page
        expect(visitor.locator(".notice-status")).to_have_text(zh("Cleared: the contract may be signed"))
        screenshot(visitor, "notice-11-the-public-notice-is-cleared")
