"""A buyer with the payment page open in two tabs presses "pay" in both: the card is charged once, both tabs
end up showing the amount paid, and the second says that no second charge was made."""

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from stripe import StripeClient

from tests.journeys.ui import ROOT, screenshot, zh

pytestmark = pytest.mark.browser

BUYER = "buyer@demo.ipx.cn"
TEST_CARD = "4242424242424242"


def signed_demo_deal(site) -> dict:
    """A transfer from ZJU to the demo buyer, signed, with its instalments due (tests/payments/scenario.py)."""
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", "from tests.payments.scenario import main; main()"],
        cwd=ROOT,
        env={**site.env, "SCENARIO_DEMO": "1", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def fill_card(row) -> None:
    card = row.locator(".new-card-form .card-element")  # the card field Stripe.js puts in the page
    card.get_by_placeholder("number").fill(TEST_CARD)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("30")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("310058")


def charges_for(site, instalment: int) -> list:
    stripe = StripeClient("sk_test_journeys", base_addresses={"api": site.stripe_url})
    intents = stripe.v1.payment_intents.list(params={"limit": 100}).data
    return [i for i in intents if i.metadata and i.metadata.to_dict().get("instalment_id") == str(instalment)]


def test_pressing_pay_in_two_tabs_charges_the_card_once(people, live_site):
    deal = signed_demo_deal(live_site)
    first = deal["instalments"][0]["id"]
    one = people.member(BUYER)
    two = one.context.new_page()  # the same person, the same session, a second tab
    rows = []
    for tab in (one, two):
        tab.goto(f"/payments/deals/{deal['deal']}/")
        row = tab.locator(f"#instalment-{first}")
        expect(row.locator(".badge").first).to_have_text(zh("Due"))
        fill_card(row)
        rows.append(row)
    screenshot(two, "pay-twice-1-two-tabs-with-a-card-entered")

    for row in rows:  # one click each, as fast as a person with two windows can
        row.locator(".new-card-form").get_by_role("button", name=zh("Pay by card")).click()

    for tab in (one, two):
        paid_row = tab.locator(f"#instalment-{first}")
        expect(paid_row.locator(".badge").first).to_have_text(zh("Paid"))
    messages = [tab.locator(f"#instalment-{first} .pay-progress").inner_text() for tab in (one, two)]
    assert any(zh("Paid. Thank you.") in text for text in messages), messages
    assert any("未重复扣款" in text for text in messages), messages  # "no second charge was made"
    screenshot(two, "pay-twice-2-both-tabs-show-it-paid-once")
    assert [intent.status for intent in charges_for(live_site, first)] == ["succeeded"]
