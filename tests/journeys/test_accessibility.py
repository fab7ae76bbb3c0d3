"""Every page passes an automated accessibility audit (GB/T 37668, which follows WCAG 2.x): axe-core, installed from
the npm registry (package.json), runs in chromium on each page a visitor, a buyer, a seller and a broker reach,
in Chinese and in English, and no serious or critical violation may remain.

The pages are reached as people reach them (links from the finder, the workspace, the negotiations list), so a page
the audit names is a page someone reads. Moderate and minor findings are printed, not failed: they are advice.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from tests.journeys.ui import ROOT, zh

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PUBLIC_PAGES = [
    "/",
    "/patents/",
    "/patents/?q=%E9%94%82%E7%94%B5%E6%B1%A0",  # 锂电池
    "/patents/?q=%E9%87%8F%E5%AD%90%E8%AE%A1%E7%AE%97%E6%9C%BA",  # nothing found: the help page
    "/indicators/",
    "/centres/",
    "/policy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/privacy/",
    "/demands/",
    "/notices/",
    "/auctions/",
]


def audit(page) -> list[dict]:
    """axe-core's violations on the page as it is now. Evaluated by the test, outside the page's own scripts: the
    site's Content Security Policy is not loosened for it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("options => window.axe.run(document, options)", options)
    return result["violations"]


def describe(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{url}: [{violation['impact']}] {violation['id']}: {violation['help']} at {targets}")
    return lines


class Audit:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.advice: list[str] = []
        self.pages = 0

    def page(self, page, url: str) -> None:
        page.goto(url)
        page.wait_for_load_state("load")
        violations = audit(page)
        self.pages += 1
        self.failures += describe(url, [v for v in violations if v["impact"] in FAILING_IMPACTS])
        self.advice += describe(url, [v for v in violations if v["impact"] not in FAILING_IMPACTS])

    def check(self) -> None:
        print(f"accessibility audit pages={self.pages} serious_or_critical={len(self.failures)}")
        for line in self.advice:
            print("advice:", line)
        assert not self.failures, "axe-core found serious or critical violations:\n" + "\n".join(self.failures)


def links_in(page, selector: str, limit: int) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.getAttribute('href'))")
    return list(dict.fromkeys(urljoin(page.url, href) for href in hrefs if href))[:limit]


class TestEveryPageIsAccessible:
    def test_public_pages_in_chinese_and_english(self, people):
        from playwright.sync_api import expect

        visitor = people.visitor()
        checked = Audit()
        for url in PUBLIC_PAGES:
            checked.page(visitor, url)
        visitor.goto("/patents/")
        for url in links_in(visitor, ".listing-card h3 a", 2):
            checked.page(visitor, url)
        visitor.goto("/policy/")
        for url in links_in(visitor, ".policy-item-title a", 1):
            checked.page(visitor, url)
        visitor.goto("/auctions/")  # a round in bidding (its live ladder) and a result notice
        for url in links_in(visitor, "main table a, main .result-list a", 2):
            checked.page(visitor, url)
        visitor.goto("/")
        visitor.get_by_label(zh("Language")).select_option("en")
        expect(visitor.locator("html")).to_have_attribute("lang", "en")
        for url in ["/", "/patents/?q=lithium+battery", "/indicators/", "/policy/"]:
            checked.page(visitor, url)
        checked.check()

    def test_the_pages_of_a_buyer_a_seller_and_a_broker(self, people):
        checked = Audit()
        for email, start in [
            ("buyer@demo.ipx.cn", "/deals/negotiations/"),
            ("seller.zju@demo.ipx.cn", "/patents/workspace/"),
            ("broker.zju@demo.ipx.cn", "/patents/moderation/"),
        ]:
            page = people.member(email)
            for url in ["/workspace/", start, "/accounts/me/"]:
                checked.page(page, url)
            page.goto(start)
            selector = "main table a[href*='/negotiations/'], main table a[href*='/workspace/'], main table a"
            for url in links_in(page, selector, 2):
                checked.page(page, url)
        # The buyer's firm is a qualified bidder in the demo round in bidding: the page with its bid form.
        page = people.member("buyer@demo.ipx.cn")
        page.goto("/auctions/")
        for url in links_in(page, "main table a", 1):
            checked.page(page, url)
        checked.check()


def test_the_audit_finds_what_it_is_meant_to_find(people):
    """A page with an unlabelled field and an image without text fails the audit: the check can fail."""
    page = people.visitor("audit-self-test")
    page.goto("/")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("beforeend", '<input type="text"><img src="/static/x.png">');
        }"""
    )
    found = {violation["id"] for violation in audit(page) if violation["impact"] in FAILING_IMPACTS}
    assert {"label", "image-alt"} <= found, json.dumps(sorted(found))
