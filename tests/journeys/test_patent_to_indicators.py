"""One patent's way through the platform, in the browser, as the people who use it see it.

浙江大学 lists a patent and a broker of its centre approves it; a Hangzhou company finds it by searching in
Chinese and narrowing with facets, and enquires; buyer and seller bargain in the live room, each seeing the
other's offer arrive; they sign, the buyer pays by card (Stripe.js served by localstripe), the broker records
the contract registration, the deal completes, and the public indicators dashboard, open all along, shows the
new turnover without being reloaded.

Each step is one test and builds on the one before (the journey's state lives on the class); when a step fails,
the later ones are reported as expected failures rather than as failures of their own. A screenshot of every
step is kept under artifacts/journeys/.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the chromium_path fixture then skips these journeys, or fails them under CI
    Page = expect = None

from tests.journeys.ui import screenshot, zh

pytestmark = pytest.mark.browser

SELLER = "seller.zju@demo.ipx.cn"  # administrator of 浙江大学, hosted by the ZJU technology-transfer centre
BROKER = "broker.zju@demo.ipx.cn"  # technology manager of that centre
BUYER = "buyer@demo.ipx.cn"  # administrator of 杭州数衡智能科技有限公司

# A number the platform does not know yet, with a valid check digit: weights 2-9 over 202510987654, mod 11 = 6.
APPLICATION_NUMBER = "CN202510987654.6"
PATENT_TITLE = "一种石墨烯改性固态电解质及其制备方法"
LISTING_TITLE = "石墨烯固态电解质：让锂电池更安全"
SEARCH_WORDS = "固态电解质"  # Chinese, and also in demo listings: the facets have something to narrow
LISTED_UPFRONT_FEE = "120000"
AGREED_UPFRONT_FEE = "100000"
TEST_CARD = "4242424242424242"


@dataclass
class Journey:
    listing_url: str = ""
    negotiation_url: str = ""
    deal_url: str = ""
    dashboard: Page | None = None
    deals_before: int = 0
    hangzhou_before: dict[str, Decimal] | None = None


def hangzhou_figures(dashboard: Page) -> dict[str, Decimal]:
    """The Hangzhou row of the dashboard's city table, in 万元 (no row yet: nothing)."""
    row = dashboard.locator("#table-city tbody tr", has_text="杭州")
    fields = ("turnover_fen", "licensing_contracted_fen")
    if row.count() == 0:
        return dict.fromkeys(fields, Decimal(0))
    return {field: Decimal(row.locator(f"[data-field={field}]").inner_text().replace(",", "")) for field in fields}


@contextmanager
def without_reloading(page: Page):
    """Whatever happens inside must reach the page live: a reload (or navigation) would lose this mark."""
    page.evaluate("window.journeyMark = 'still the same page'")
    yield
    assert page.evaluate("window.journeyMark") == "still the same page", "the page was reloaded"


def flash(page: Page):
    return page.get_by_role("main").locator(".messages")


def deal_status(page: Page):
    """The status badge under a deal page's title."""
    return page.get_by_role("main").locator("h1 + .subtitle + p > .badge")


def live_in_room(page: Page) -> None:
    expect(page.locator("#room-connection")).to_have_text(zh("Live: new messages appear as they arrive."))


@pytest.mark.usefixtures("live_site")
class TestAPatentFromListingToTheIndicators:
    journey = Journey()

    def test_a_a_university_lists_a_patent_and_a_broker_approves_it(self, people):
        seller = people.member(SELLER)
        seller.get_by_role("link", name=zh("List a patent")).click()
        expect(seller.get_by_role("heading", level=1)).to_have_text(zh("List a patent"))

        seller.get_by_label(zh("Application number")).fill(APPLICATION_NUMBER)
        seller.get_by_label(zh("Application number")).blur()
        expect(seller.locator("#lookup-status")).to_have_text(zh("Not on the platform yet: enter its details below."))
        seller.get_by_label(zh("Patent type")).select_option(label=zh("Invention"))
        seller.get_by_label(zh("Patent title")).fill(PATENT_TITLE)
        seller.get_by_label(zh("Abstract")).fill(
            "本发明公开了一种石墨烯改性的固态电解质，室温离子电导率高，可用于固态锂电池。"
        )
        seller.get_by_label(zh("IPC codes")).fill("H01M 10/0562")
        seller.get_by_label(zh("Filing date")).fill("2025-03-18")
        seller.get_by_label(zh("Grant date")).fill("2026-06-02")
        seller.get_by_label(zh("Legal status")).select_option(label=zh("Granted, in force"))
        seller.get_by_label(zh("Applicants")).fill("浙江大学")
        seller.get_by_label(zh("Inventors")).fill("张明；李华")
        seller.get_by_role("textbox", name=zh("Title"), exact=True).fill(LISTING_TITLE)
        seller.get_by_label(zh("plain-language summary")).fill(
            "固态电解质不漏液、不起火，适合动力电池和储能电池企业提升电池安全性。"
        )
        seller.get_by_label(zh("Application fields")).fill("动力电池、储能")
        seller.get_by_label(zh("Asking price (yuan)")).fill("500000")
        screenshot(seller, "a1-seller-fills-in-the-patent-and-the-listing")
        seller.get_by_role("button", name=zh("Save draft")).click()

        expect(flash(seller)).to_contain_text(
            zh("Draft saved. Now set the terms you offer, then submit it for review.")
        )
        seller.get_by_label(zh("Offer licences")).check()
        seller.get_by_label(zh("Ordinary (non-exclusive) licence"), exact=True).check()
        seller.get_by_label(zh("Term (years)")).fill("5")
        seller.get_by_label(zh("Upfront fee (yuan)")).fill(LISTED_UPFRONT_FEE)
        screenshot(seller, "a2-seller-offers-an-ordinary-licence")
        seller.get_by_role("button", name=zh("Save terms")).click()

        expect(flash(seller)).to_contain_text(zh("Terms saved."))
        expect(seller.get_by_role("heading", level=1)).to_contain_text(zh("Draft"))
        seller.get_by_role("button", name=zh("Submit for review")).click()
        expect(seller.get_by_role("heading", level=1)).to_contain_text(zh("Submitted for review"))
        review = seller.locator("section", has=seller.get_by_role("heading", name=zh("IP review (知识产权评议)")))
        expect(review.locator(".badge-ok")).to_have_count(5)  # every check of the automatic IP review passes
        screenshot(seller, "a3-seller-submits-and-the-ip-review-passes")

        broker = people.member(BROKER)
        broker.get_by_role("link", name=zh("Open the moderation queue")).click()
        broker.get_by_role("link", name=LISTING_TITLE).click()
        expect(broker.get_by_role("heading", level=1)).to_contain_text(zh("Submitted for review"))
        expect(broker.get_by_role("main")).to_contain_text(PATENT_TITLE)
        screenshot(broker, "a4-broker-reviews-the-listing")
        broker.get_by_role("button", name=zh("Approve and publish")).click()
        expect(flash(broker)).to_contain_text(zh("The listing is now “%(status)s”.", status=zh("Published")))
        expect(broker.get_by_role("link", name=LISTING_TITLE)).to_have_count(0)  # gone from the queue
        screenshot(broker, "a5-broker-has-published-it")

        seller.reload()
        expect(seller.get_by_role("heading", level=1)).to_contain_text(zh("Published"))

    def test_b_a_company_searches_in_chinese_narrows_with_facets_and_enquires(self, people):
        buyer = people.member(BUYER)
        buyer.get_by_role("navigation", name=zh("Main")).get_by_role("link", name=zh("Patents"), exact=True).click()
        buyer.get_by_label(zh("Search the patents on offer")).fill(SEARCH_WORDS)
        buyer.get_by_label(zh("Search the patents on offer")).press("Enter")
        # The page without a query lists the newest listings too: first make sure these are the search results.
        expect(buyer.locator("#results-title")).to_contain_text(f"“{SEARCH_WORDS}”")
        results = buyer.locator(".result-list > li")
        expect(results.filter(has_text=LISTING_TITLE)).to_have_count(1)
        found = results.count()
        assert found > 1, "the demo listings should give the facets something to narrow"
        screenshot(buyer, "b1-buyer-searches-in-chinese")

        facets = buyer.get_by_role("complementary")
        city = facets.locator("fieldset", has_text=zh("Seller's city"))
        city.get_by_label(re.compile("^杭州")).check()  # each click on a facet submits the search again
        expect(buyer.locator(".active-filters")).to_contain_text(f"{zh("Seller's city")}: 杭州")
        expect(results.filter(has_text=LISTING_TITLE)).to_have_count(1)
        expect(results).not_to_have_count(found)
        centre = facets.locator("fieldset", has_text=zh("Operation centre"))
        centre.get_by_label(re.compile("浙江大学技术转移中心")).check()
        expect(buyer.locator(".active-filters")).to_contain_text("浙江大学技术转移中心")
        expect(results).to_have_count(1)
        expect(results.first).to_contain_text(LISTING_TITLE)
        expect(buyer.locator("#results-title")).to_have_text(
            zh("%(counter)s listing for “%(text)s”", counter=1, text=SEARCH_WORDS)
        )
        screenshot(buyer, "b2-buyer-narrows-with-facets")

        results.first.get_by_role("link", name=LISTING_TITLE).click()
        expect(buyer.get_by_role("heading", level=1)).to_have_text(LISTING_TITLE)
        expect(buyer.get_by_role("main")).to_contain_text(PATENT_TITLE)
        expect(buyer.get_by_role("main")).to_contain_text("浙江大学技术转移中心")
        type(self).journey.listing_url = buyer.url
        screenshot(buyer, "b3-buyer-reads-the-listing")

        buyer.get_by_role("link", name=zh("Enquire"), exact=True).click()
        expect(buyer.get_by_role("main")).to_contain_text(zh("Enquiring is free."))
        buyer.get_by_label(zh("Licence"), exact=True).check()
        buyer.get_by_label(zh("Message to the seller (optional)")).fill(
            "我们计划把该技术用于储能电池产品，请问能否提供中试数据和技术指导？"
        )
        screenshot(buyer, "b4-buyer-writes-an-enquiry")
        buyer.get_by_role("button", name=zh("Send the enquiry (free)")).click()
        expect(flash(buyer)).to_contain_text(
            zh("Your enquiry is sent. The seller and a broker of the centre will answer here.")
        )
        expect(buyer.locator("#room-history")).to_contain_text("请问能否提供中试数据和技术指导")
        type(self).journey.negotiation_url = buyer.url
        screenshot(buyer, "b5-the-negotiation-room-opens")

    def test_c_buyer_and_seller_see_each_others_offers_live_and_agree(self, people):
        buyer, seller = people.member(BUYER), people.member(SELLER)
        room = type(self).journey.negotiation_url
        buyer.goto(room)
        seller.goto(room)
        live_in_room(buyer)
        live_in_room(seller)
        expect(seller.locator("#room-history")).to_contain_text("请问能否提供中试数据和技术指导")

        # The seller answers; the buyer's page shows the message live, its time written as the server writes it.
        with without_reloading(buyer):
            seller.get_by_label(zh("Your message")).fill("可以提供中试报告，并派工程师现场指导两周。")
            seller.get_by_role("button", name=zh("Send")).click()
            live = buyer.locator("#room-history li").filter(has_text="可以提供中试报告").locator("time")
            expect(live).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
            live_text = live.inner_text()
        buyer.reload()
        served = buyer.locator("#room-history li").filter(has_text="可以提供中试报告").locator("time")
        expect(served).to_have_text(live_text)  # the same moment, the same words, before and after a reload
        live_in_room(buyer)

        # The offer form asks only what the payment mode needs: a lump sum has no royalty rate.
        royalty_rate = seller.get_by_label(zh("Royalty rate (percentage of the base)"))
        expect(royalty_rate).to_be_hidden()
        seller.get_by_label(zh("Royalty"), exact=True).check()
        expect(royalty_rate).to_be_visible()
        expect(seller.get_by_label(zh("Royalty reporting period"))).to_be_visible()
        seller.get_by_label(zh("Fixed sum"), exact=True).check()
        expect(royalty_rate).to_be_hidden()
        expect(seller.get_by_label(zh("Arbitration commission"), exact=True)).to_be_hidden()

        # The seller puts the listed terms on the table; the buyer's page shows them as they arrive.
        with without_reloading(buyer):
            seller.get_by_label(zh("Licence type")).select_option(label=zh("Ordinary (non-exclusive) licence"))
            seller.get_by_label(zh("Upfront fee (yuan)")).fill(LISTED_UPFRONT_FEE)
            seller.get_by_role("button", name=zh("Put this version on the table")).click()
            expect(flash(seller)).to_contain_text(zh("Version %(version)s is on the table.", version=1))
            expect(buyer.locator("#room-notice")).to_contain_text(
                zh("The offer changed: the offer panel below shows the latest version.")
            )
            on_the_table = buyer.locator("#offer-panel section").first
            expect(on_the_table).to_contain_text(zh("Version %(number)s", number=1))
            expect(on_the_table).to_contain_text("¥120,000")
            expect(buyer.get_by_role("button", name=zh("Accept version %(number)s", number=1))).to_be_visible()
        screenshot(buyer, "c1-buyer-sees-the-sellers-offer-arrive")

        # The buyer counters with a lower upfront fee; the seller's page shows it without reloading.
        with without_reloading(seller):
            buyer.get_by_label(zh("Upfront fee (yuan)")).fill(AGREED_UPFRONT_FEE)
            buyer.get_by_label(zh("Note")).fill("首期款调整为10万元，其余条款不变。")
            buyer.get_by_role("button", name=zh("Put this version on the table")).click()
            expect(flash(buyer)).to_contain_text(zh("Version %(version)s is on the table.", version=2))
            expect(seller.locator("#room-notice")).to_contain_text(
                zh("The offer changed: the offer panel below shows the latest version.")
            )
            on_the_table = seller.locator("#offer-panel section").first
            expect(on_the_table).to_contain_text(zh("Version %(number)s", number=2))
            expect(on_the_table).to_contain_text("¥100,000")
            expect(on_the_table.locator(".offer-changes")).to_contain_text("¥120,000")  # what changed, struck out
        screenshot(seller, "c2-seller-sees-the-counter-offer-arrive")

        # The seller accepts; the buyer's room shows the agreement live.
        with without_reloading(buyer):
            seller.get_by_role("button", name=zh("Accept version %(number)s", number=2)).click()
            expect(seller.get_by_role("main")).to_contain_text(zh("Agreed"))
            status = buyer.locator("#room-status")
            expect(status).to_contain_text(zh("Agreed: a deal was made. Continue on the deal page."))
        deal_link = buyer.locator("#room-status").get_by_role("link")
        expect(deal_link).to_be_visible()
        screenshot(buyer, "c3-buyer-sees-the-agreement")
        screenshot(seller, "c4-seller-lands-on-the-deal")
        type(self).journey.deal_url = seller.url

    def test_d_both_sign_and_the_buyer_pays_the_upfront_fee_by_card(self, people):
        buyer, seller = people.member(BUYER), people.member(SELLER)
        deal = type(self).journey.deal_url
        for who, page in (("seller", seller), ("buyer", buyer)):
            page.goto(deal)
            expect(page.get_by_role("main")).to_contain_text("¥100,000.00")
            page.get_by_label(zh("I have read the contract and confirm it on behalf of my organisation.")).check()
            page.get_by_role("button", name=zh("Sign the contract")).click()
            expect(flash(page)).to_be_visible()
            screenshot(page, f"d1-{who}-signs-the-contract")
        expect(flash(buyer)).to_contain_text(zh("Both parties have signed: the contract is signed."))

        buyer.get_by_role("link", name=zh("Pay"), exact=True).click()
        expect(buyer.get_by_role("heading", level=1)).to_contain_text(LISTING_TITLE)
        for kind, amount in (("Upfront licence fee", "¥100,000"), ("Platform service fee", "¥1,000")):
            row = buyer.get_by_role("row").filter(has_text=zh(kind))
            expect(row).to_contain_text(amount)
            expect(row).to_contain_text(zh("Due"))
            card = row.locator(".card-element")  # the card field Stripe.js puts in the page
            card.get_by_placeholder("number").fill(TEST_CARD)
            card.get_by_placeholder("exp_month").fill("12")
            card.get_by_placeholder("exp_year").fill("30")
            card.get_by_placeholder("cvc").fill("123")
            card.get_by_placeholder("postal_code").fill("310058")
            screenshot(buyer, f"d2-buyer-enters-a-card-for-{kind.split()[0].lower()}")
            row.get_by_role("button", name=zh("Pay by card")).click()
            paid_row = buyer.get_by_role("row").filter(has_text=zh(kind))
            expect(paid_row.locator(".pay-progress")).to_have_text(zh("Paid. Thank you."))
            expect(paid_row.locator(".badge")).to_have_text(zh("Paid"))
        expect(buyer.get_by_role("main")).to_contain_text("¥101,000")
        screenshot(buyer, "d3-buyer-has-paid")

        buyer.goto(deal)
        expect(deal_status(buyer)).to_have_text(zh("Settled"))
        expect(buyer.get_by_role("main")).to_contain_text(
            zh("Wait for the broker to record the contract registration.")
        )

    def test_e_a_broker_records_the_registration_and_the_deal_completes(self, people):
        # The public dashboard is opened first and then left alone: (f) checks what it shows afterwards.
        dashboard = people.visitor()
        dashboard.goto("/")
        dashboard.get_by_role("navigation", name=zh("Main")).get_by_role("link", name=zh("Indicators")).click()
        expect(dashboard.get_by_role("heading", level=1)).to_have_text(zh("Technology-market indicators"))
        # The demo data holds the deals of the last three years: (f) checks what this deal adds to them.
        expect(dashboard.locator("[data-figure=deals]")).to_have_text(re.compile(r"^\d+$"))
        type(self).journey.deals_before = int(dashboard.locator("[data-figure=deals]").inner_text())
        type(self).journey.hangzhou_before = hangzhou_figures(dashboard)
        # The page says when it listens for completed deals: only then may the broker go ahead.
        expect(dashboard.locator("#indicators-live")).to_have_text(
            zh("Live: these figures change as soon as a deal completes.")
        )
        dashboard.evaluate("window.journeyMark = 'still the same page'")
        screenshot(dashboard, "e1-public-dashboard-before")
        type(self).journey.dashboard = dashboard

        broker = people.member(BROKER)
        broker.goto(type(self).journey.deal_url)
        expect(deal_status(broker)).to_have_text(zh("Settled"))
        form = broker.locator("form", has=broker.get_by_role("button", name=zh("Record the registration")))
        expect(form.get_by_label(zh("Contract total (yuan)"))).to_have_value(re.compile(r"^100000(\.00)?$"))
        form.get_by_label(zh("Registration number")).fill("2026330106000123")
        form.get_by_label(zh("Technology transaction amount (yuan)")).fill(AGREED_UPFRONT_FEE)
        screenshot(broker, "e2-broker-records-the-registration")
        form.get_by_role("button", name=zh("Record the registration")).click()

        expect(flash(broker)).to_contain_text(zh("The technology contract registration is recorded."))
        expect(deal_status(broker)).to_have_text(zh("Completed"))
        expect(broker.get_by_role("main")).to_contain_text("2026330106000123")
        screenshot(broker, "e3-the-deal-is-completed")

        buyer = people.member(BUYER)
        buyer.reload()
        expect(deal_status(buyer)).to_have_text(zh("Completed"))

    def test_f_the_public_dashboard_shows_the_new_turnover_without_reloading(self, people):
        dashboard = type(self).journey.dashboard
        assert dashboard is not None
        expect(dashboard.locator("#indicators-live")).to_have_text(zh("Figures updated."))
        journey = type(self).journey
        expect(dashboard.locator("[data-figure=deals]")).to_have_text(str(journey.deals_before + 1))
        # The seller is in Hangzhou: its row gains the deal's ¥100,000 (10.00 万元) of turnover and of licences.
        before, after = journey.hangzhou_before, hangzhou_figures(dashboard)
        assert after["turnover_fen"] - before["turnover_fen"] == Decimal("10.00"), (before, after)
        assert after["licensing_contracted_fen"] - before["licensing_contracted_fen"] == Decimal("10.00")
        assert dashboard.evaluate("window.journeyMark") == "still the same page", "the dashboard was reloaded"
        screenshot(dashboard, "f1-public-dashboard-after")
