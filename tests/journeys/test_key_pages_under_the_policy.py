"""The pages people use most work under the Content Security Policy, in a real browser.

Every journey fails on a policy violation (conftest.py listens on every page); these walk the pages the other
journeys do not reach, or not with everything switched on: the public pages with the behaviour that used to sit
in inline handlers (the language switcher, the finder's filters, the contract's print button), the live
negotiation room and dashboard (WebSocket), the payment page with Stripe.js (served by localstripe, allowed by
STRIPE_JS_URL), and both admin sites: Wagtail's under its relaxed policy, django-admin's under the strict one.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.test_pay_in_two_tabs import signed_demo_deal
from tests.journeys.ui import screenshot, zh

pytestmark = pytest.mark.browser

BUYER = "buyer@demo.ipx.cn"
ADMIN = "admin@demo.ipx.cn"
ADMIN_PASSWORD = "admin-2026"  # published in the README, created by seed_demo


def opened(page, path: str):
    """Go to a page and return its Content Security Policy, after checking the page got the strict one."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, f"{path}: {policy!r}"
    return policy


def test_a_visitor_uses_the_public_pages_under_the_policy(people):
    visitor = people.visitor()
    opened(visitor, "/")
    expect(visitor.get_by_role("banner")).to_be_visible()

    # The language switcher sends its form when a language is chosen (static/js/site.js), and back again.
    visitor.locator("#language-select").select_option("en")
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    visitor.locator("#language-select").select_option("zh-hans")
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-Hans")

    opened(visitor, "/patents/")
    results = visitor.locator(".result-list > li")
    found = results.count()
    assert found > 1
    # A filter sends the search as soon as it is ticked, and so does the sort order.
    visitor.get_by_role("complementary").locator("input[type=checkbox]").first.check()
    expect(visitor.locator(".active-filters")).to_be_visible()
    visitor.locator("#sort").select_option(index=1)
    expect(visitor).to_have_url(re.compile(r"sort="))
    screenshot(visitor, "csp-1-finder-filtered-and-sorted")

    results.first.locator("a").first.click()
    expect(visitor.locator("script[type='application/ld+json']")).to_have_count(1)
    screenshot(visitor, "csp-2-a-listing")

    opened(visitor, "/indicators/")
    live = zh("Live: these figures change as soon as a deal completes.")
    expect(visitor.locator("#indicators-live")).to_have_text(live)
    expect(visitor.locator("#chart-quarter")).to_be_visible()
    screenshot(visitor, "csp-3-live-dashboard")

    for path in ("/policy/", "/centres/", "/organisations/", "/accounts/login/", "/accounts/signup/"):
        opened(visitor, path)


def test_a_buyer_uses_the_room_the_payment_page_and_the_contract_under_the_policy(people, live_site):
    buyer = people.member(BUYER)
    opened(buyer, "/workspace/")

    opened(buyer, "/patents/?q=电池")
    buyer.locator(".result-list > li").first.locator("a").first.click()
    buyer.get_by_role("link", name=zh("Enquire"), exact=True).click()
    buyer.get_by_label(zh("Licence"), exact=True).check()
    buyer.get_by_role("button", name=zh("Send the enquiry (free)")).click()
    expect(buyer.locator("#room-connection")).to_have_text(zh("Live: new messages appear as they arrive."))
    screenshot(buyer, "csp-4-live-negotiation-room")

    deal = signed_demo_deal(live_site)["deal"]
    policy = opened(buyer, f"/payments/deals/{deal}/")
    assert live_site.stripe_url in policy  # Stripe.js's address, from STRIPE_JS_URL
    # Stripe.js ran and put its card fields in the page; card-payment.js took over the form.
    expect(buyer.locator(".new-card-form .card-element").first.get_by_placeholder("number")).to_be_visible()
    screenshot(buyer, "csp-5-payment-page-with-stripe-js")

    opened(buyer, f"/deals/{deal}/")
    opened(buyer, f"/deals/{deal}/contract/")
    buyer.evaluate("window.print = () => { window.printAsked = true; }")  # no dialogue in a headless browser
    buyer.get_by_role("button", name=zh("Print")).click()
    assert buyer.evaluate("window.printAsked") is True


def test_staff_use_both_admin_sites(people):
    admin = people.member(ADMIN, password=ADMIN_PASSWORD)

    # Wagtail's admin: its own relaxed policy (settings.CMS_ADMIN_CSP), which it needs.
    response = admin.goto("/cms/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    expect(admin.locator("#wagtail")).to_be_visible()
    admin.goto("/policy/")  # the public page with Wagtail's user bar, under the strict policy
    admin.goto("/cms/pages/")
    admin.locator("a[href*='/edit/']").first.click()
    expect(admin.locator("form#page-edit-form")).to_be_visible()
    # The preview is an admin page in a frame of the admin: framed by the admin alone (frame-ancestors 'self').
    admin.locator("[data-side-panel-toggle='preview']").click()
    preview = admin.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("banner")).to_be_visible()
    screenshot(admin, "csp-6-wagtail-page-editor-with-preview")
    for path in ("/cms/images/", "/cms/documents/", "/cms/users/"):
        admin.goto(path)

    # django-admin keeps the strict policy: its templates put this response's nonce on what they include.
    opened(admin, "/django-admin/")
    opened(admin, "/django-admin/accounts/user/")
    admin.locator("#result_list tbody th a").first.click()
    expect(admin.locator("#content-main form")).to_be_visible()
    screenshot(admin, "csp-7-django-admin-change-form")


def test_the_journeys_notice_a_script_the_policy_refuses(people):
    """The check every journey step ends with sees a violation: a script put into a strict page does not run."""
    visitor = people.visitor("probe")
    opened(visitor, "/")
    visitor.evaluate(
        "document.body.append(Object.assign(document.createElement('script'), {textContent: 'window.ran = true'}))"
    )
    visitor.wait_for_timeout(200)
    assert visitor.evaluate("window.ran") is None
    refused = people.take_csp_violations()
    assert any("script-src-elem refused inline" in violation for violation in refused), refused
