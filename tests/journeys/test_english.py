"""An English-speaking visitor: switches the site to English, searches in English, reads a listing, a policy
article and a firm's technology demand in their authors' English, and switches back; the demo data carries English
for a good share of listings."""

from __future__ import annotations

import re

import pytest

from tests.journeys.ui import screenshot, zh

pytestmark = pytest.mark.browser


def search(page, words: str):
    box = page.get_by_role("main").get_by_role("searchbox")
    box.fill(words)
    box.press("Enter")
    page.wait_for_load_state("load")
    return page.locator(".listing-card")


class TestAnEnglishReader:
    def test_a_finds_graphene_and_lithium_batteries_in_english(self, people):
        from playwright.sync_api import expect

        visitor = people.visitor("english-reader")
        visitor.goto("/patents/")
        visitor.get_by_label(zh("Language")).select_option("en")
        expect(visitor.locator("html")).to_have_attribute("lang", "en")
        expect(visitor.get_by_role("heading", level=1)).to_contain_text("Patents on offer")

        for words, must_contain in [("graphene", ("graphene",)), ("lithium battery", ("lithium", "batter"))]:
            cards = search(visitor, words)
            expect(cards.first).to_be_visible()
            first = cards.first
            # Found by the seller's English: the card reads in English, with the words marked.
            expect(first.locator("h3 a")).to_have_attribute("lang", "en")
            text = first.inner_text().lower()
            assert all(word in text for word in must_contain), text
            expect(first.locator("mark").first).to_be_visible()
            screenshot(visitor, f"english-search-{words.replace(' ', '-')}")

        search(visitor, "graphene").first.locator("h3 a").click()
        heading = visitor.get_by_role("heading", level=1)
        expect(heading).to_have_attribute("lang", "en")
        expect(visitor.locator(".listing-header .subtitle")).to_have_attribute("lang", "zh-Hans")  # the original
        screenshot(visitor, "english-listing")

    def test_b_reads_a_policy_article_in_english_and_switches_back(self, people):
        from playwright.sync_api import expect

        visitor = people.visitor("english-reader")
        visitor.goto("/policy/")
        visitor.get_by_role("link", name=re.compile("Open patent licences")).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
        expect(visitor.get_by_role("main")).to_contain_text("The full text below is in Chinese, as issued.")
        visitor.goto("/policy/")
        expect(visitor.get_by_role("main")).to_contain_text("Chinese only")  # articles without English are marked
        screenshot(visitor, "english-policy")

        # A firm's technology demand, in the firm's own English.
        visitor.goto("/demands/")
        visitor.locator("h3 a[lang='en']").first.click()
        expect(visitor.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
        screenshot(visitor, "english-demand")

        visitor.get_by_label("Language").select_option("zh-hans")
        expect(visitor.locator("html")).to_have_attribute("lang", "zh-Hans")
        expect(visitor.get_by_role("main")).not_to_contain_text("Chinese only")
