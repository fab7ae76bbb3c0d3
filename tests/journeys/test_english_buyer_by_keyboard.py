"""An English-speaking buyer goes from the home page to a signed contract with the keyboard alone.

The buyer of 杭州数衡智能科技有限公司 never touches a mouse: Tab moves through each page in its own order, Enter
follows a link or sends a form, Space ticks a box, an arrow key changes the language. Every control the buyer uses
must be reachable that way and show where the focus is. Reading the site in English, the buyer logs in, finds
浙江大学's graphene film by its English name, enquires, accepts the seller's offer and signs; the seller answers
in the Chinese interface (with a mouse). The signed contract the buyer downloads holds the English articles beside
the Chinese and the platform's digital signature. On every page the buyer sees, the interface itself (buttons,
labels, headings of the page's own) is in English: only what people wrote in Chinese stays Chinese, marked as such.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from io import BytesIO

import pytest

from tests.journeys.ui import screenshot, zh

pytestmark = pytest.mark.browser

BUYER = "buyer@demo.ipx.cn"  # administrator and signatory of 杭州数衡智能科技有限公司
SELLER = "seller.zju@demo.ipx.cn"  # administrator and signatory of 浙江大学
PASSWORD = "demo-2026"
LISTING_TITLE_EN = "Graphene thermally conductive film and its preparation method"
AGREED_UPFRONT_FEE = "200000"
CJK = re.compile(r"[\u3400-\u9fff]")
# The interface's own words on a page: what the site writes, not what its users wrote.
INTERFACE = "button, label, legend, th, nav a, .badge, .messages, h2"


@dataclass
class Journey:
    negotiation_url: str = ""
    deal_url: str = ""


def tab_to(page, target, *, limit: int = 250) -> None:
    """Press Tab until `target` has the focus, as a keyboard user moves through the page, and check that the
    focus shows (an outline or a shadow): fail if Tab never reaches it."""
    target.wait_for()
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("element => element === document.activeElement", handle):
            style = page.evaluate(
                "element => { const s = getComputedStyle(element); "
                "return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }",
                handle,
            )
            outline_style, outline_width, shadow = style
            assert (outline_style != "none" and outline_width != "0px") or shadow != "none", (
                f"the focus does not show on {target}: {style}"
            )
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {target} on {page.url}")


def assert_interface_in_english(page) -> None:
    """The page is in English and none of its own words are Chinese; users' Chinese text carries lang=zh-Hans."""
    assert page.evaluate("document.documentElement.lang") == "en", page.url
    chinese = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter(element => element.offsetParent !== null && !element.closest('[lang^="zh"]'))
            .map(element => element.innerText.trim())
            .filter(text => /[\\u3400-\\u9fff]/.test(text))""",
        INTERFACE,
    )
    # Names of organisations and people are what they are; the test flags sentences of the interface.
    leftovers = [text for text in chinese if not _only_names(text)]
    assert not leftovers, f"Chinese interface text on {page.url}: {leftovers}"


NAMES = re.compile(
    r"浙江大学|杭州数衡智能科技有限公司|采购经理 赵磊|浙江大学 技术转移办公室|浙江大学技术转移中心|浙大技术经理人 周洋"
)


def _only_names(text: str) -> bool:
    return not CJK.search(NAMES.sub("", text))


def press_enter_on(page, target) -> None:
    tab_to(page, target)
    page.keyboard.press("Enter")


def contract_when_sealed(page, url: str, *, seconds: float = 60) -> bytes:
    """The contract PDF once the task runner has sealed it (the platform signs it a moment after both parties)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    deadline = time.monotonic() + seconds
    while True:
        pdf = page.request.get(url).body()
        if PdfFileReader(BytesIO(pdf)).embedded_signatures:
            return pdf
        assert time.monotonic() < deadline, "the platform did not seal the contract"
        page.wait_for_timeout(250)


@pytest.mark.usefixtures("live_site")
class TestAnEnglishBuyerByKeyboardAlone:
    journey = Journey()

    def test_a_logs_in_and_switches_to_english_by_keyboard(self, people):
        from playwright.sync_api import expect

        buyer = people.visitor("keyboard-buyer")
        buyer.goto("/")
        press_enter_on(buyer, buyer.get_by_role("banner").get_by_role("link", name=zh("Log in"), exact=True))
        email = buyer.get_by_label(zh("E-mail address"))
        tab_to(buyer, email)
        buyer.keyboard.type(BUYER)
        buyer.keyboard.press("Tab")
        expect(buyer.get_by_label(zh("Password"))).to_be_focused()
        buyer.keyboard.type(PASSWORD)
        buyer.keyboard.press("Enter")
        expect(buyer.get_by_role("banner").get_by_role("button", name=zh("Log out"))).to_be_visible()

        # 简体中文 is first, English second: one arrow key down on the focused switch.
        tab_to(buyer, buyer.get_by_label(zh("Language")))
        buyer.keyboard.press("ArrowDown")
        expect(buyer.locator("html")).to_have_attribute("lang", "en")
        expect(buyer.get_by_label("Language")).to_be_visible()
        assert_interface_in_english(buyer)
        screenshot(buyer, "keyboard-en-1-logged-in-in-english")

    def test_b_finds_the_graphene_film_by_its_english_name_and_enquires(self, people):
        from playwright.sync_api import expect

        buyer = people.visitor("keyboard-buyer")
        press_enter_on(
            buyer, buyer.get_by_role("navigation", name="Main").get_by_role("link", name="Patents", exact=True)
        )
        expect(buyer.get_by_role("heading", level=1)).to_contain_text("Patents on offer")
        tab_to(buyer, buyer.get_by_role("main").get_by_role("searchbox"))
        buyer.keyboard.type("graphene thermally conductive film")
        buyer.keyboard.press("Enter")
        result = buyer.get_by_role("link", name=LISTING_TITLE_EN)
        expect(result.first).to_be_visible()
        assert_interface_in_english(buyer)
        screenshot(buyer, "keyboard-en-2-search-results")

        press_enter_on(buyer, result.first)
        expect(buyer.get_by_role("heading", level=1)).to_have_text(LISTING_TITLE_EN)
        expect(buyer.get_by_role("main")).to_contain_text("浙江大学")
        assert_interface_in_english(buyer)
        screenshot(buyer, "keyboard-en-3-listing")

        press_enter_on(buyer, buyer.get_by_role("link", name="Enquire", exact=True))
        expect(buyer.get_by_role("main")).to_contain_text("Enquiring is free.")
        licence = buyer.get_by_label("Licence", exact=True)
        tab_to(buyer, licence)
        buyer.keyboard.press("Space")
        expect(licence).to_be_checked()
        tab_to(buyer, buyer.get_by_label("Message to the seller (optional)"))
        buyer.keyboard.type(
            "We would like an ordinary licence for our thermal-management products. Can you share test data?"
        )
        assert_interface_in_english(buyer)
        press_enter_on(buyer, buyer.get_by_role("button", name="Send the enquiry (free)"))
        expect(buyer.locator("#room-history")).to_contain_text("Can you share test data?")
        assert_interface_in_english(buyer)
        type(self).journey.negotiation_url = buyer.url
        screenshot(buyer, "keyboard-en-4-room")

    def test_c_the_seller_offers_in_chinese_and_the_buyer_accepts_by_keyboard(self, people):
        from playwright.sync_api import expect

        seller = people.member(SELLER)
        seller.goto(type(self).journey.negotiation_url)
        expect(seller.locator("#room-history")).to_contain_text("Can you share test data?")
        seller.get_by_label(zh("Licence type")).select_option(label=zh("Ordinary (non-exclusive) licence"))
        seller.get_by_label(zh("Fixed sum"), exact=True).check()
        seller.get_by_label(zh("Upfront fee (yuan)")).fill(AGREED_UPFRONT_FEE)
        seller.get_by_role("button", name=zh("Put this version on the table")).click()
        expect(seller.get_by_role("main").locator(".messages")).to_contain_text(
            zh("Version %(version)s is on the table.", version=1)
        )

        buyer = people.visitor("keyboard-buyer")
        buyer.reload()
        on_the_table = buyer.locator("#offer-panel section").first
        expect(on_the_table).to_contain_text("Version 1")
        expect(on_the_table).to_contain_text("¥200,000")
        assert_interface_in_english(buyer)
        screenshot(buyer, "keyboard-en-5-offer-on-the-table")
        press_enter_on(buyer, buyer.get_by_role("button", name="Accept version 1"))
        # The one who accepts lands on the deal that was made.
        expect(buyer).to_have_url(re.compile(r"/deals/\d+/$"))
        expect(buyer.get_by_role("main")).to_contain_text("Agreed")
        type(self).journey.deal_url = buyer.url

    def test_d_both_sign_and_the_buyer_downloads_the_signed_contract_in_english(self, people):
        from playwright.sync_api import expect
        from pyhanko.pdf_utils.reader import PdfFileReader

        buyer = people.visitor("keyboard-buyer")
        deal = type(self).journey.deal_url
        buyer.goto(deal)
        expect(buyer.get_by_role("main")).to_contain_text("¥200,000.00")
        assert_interface_in_english(buyer)
        confirm = buyer.get_by_label("I have read the contract and confirm it on behalf of my organisation.")
        tab_to(buyer, confirm)
        buyer.keyboard.press("Space")
        expect(confirm).to_be_checked()
        press_enter_on(buyer, buyer.get_by_role("button", name="Sign the contract"))
        expect(buyer.get_by_role("main").locator(".messages")).to_be_visible()
        screenshot(buyer, "keyboard-en-6-buyer-signed")

        seller = people.member(SELLER)
        seller.goto(deal)
        seller.get_by_label(zh("I have read the contract and confirm it on behalf of my organisation.")).check()
        seller.get_by_role("button", name=zh("Sign the contract")).click()
        expect(seller.get_by_role("main").locator(".messages")).to_contain_text(
            zh("Both parties have signed: the contract is signed.")
        )

        buyer.reload()
        expect(buyer.get_by_role("main")).to_contain_text("Contract signed")
        assert_interface_in_english(buyer)
        download = buyer.get_by_role("link", name="Download the contract (PDF)")
        tab_to(buyer, download)
        screenshot(buyer, "keyboard-en-7-contract-signed")
        pdf = contract_when_sealed(buyer, download.get_attribute("href"))
        (signature,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
        assert "杭州数衡智能科技有限公司" in str(signature.sig_object["/Reason"])
        import pypdf

        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)
        assert "Article 1 Parties" in text and "第一条 合同当事人" in text
        assert "¥200,000" in text or "200,000.00" in text
