"""A firm's need meets a university's patent: the buyer of 杭州数衡智能科技 posts a technology demand in its own words,
the Hangzhou exchange's broker approves it, the task runner matches it, 浙江大学's listing on surface-defect detection
appears among "patents that may answer this need", and the firm opens a negotiation room from the match through the
listing's own enquiry button (deals' negotiation_open, the existing rooms)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.journeys.ui import screenshot, zh

pytestmark = pytest.mark.browser

FIRM = "buyer@demo.ipx.cn"
BROKER = "broker.hangzhou@demo.ipx.cn"
TITLE = "钢板表面划痕和麻点总是漏检"
NEED = (
    "我们给钢厂做表面质检设备，划痕、麻点靠人工目检，夜班漏检很多，客户投诉不断。"
    "想要能在产线上实时运行的表面缺陷视觉检测算法，漏检率降到千分之五以下。"
)


def reload_until_matched(page, seller: str, attempts: int = 40):
    """The runner matches beside the page: reload until a match of the seller shows (or fail with what shows)."""
    matches = page.locator("#matches li.match", has_text=seller)
    for _attempt in range(attempts):
        if matches.count():
            return matches.first
        page.wait_for_timeout(1000)
        page.reload()
    expect(matches.first).to_be_visible()
    return matches.first


class TestAFirmFindsAUniversityPatentThroughItsDemand:
    def test_a_firm_posts_a_demand_staff_approve_it_and_the_firm_opens_a_room_from_a_match(self, people):
        firm = people.member(FIRM)
        firm.goto("/demands/workspace/new/")
        expect(firm.get_by_role("heading", level=1)).to_have_text(zh("Post a demand"))
        form = firm.get_by_role("main").locator("form")
        form.locator('[name="title"]').fill(TITLE)
        form.locator('[name="description"]').fill(NEED)
        form.locator('[name="field"]').select_option("G")
        form.locator('[name="deal_kinds"][value="licence"]').check()
        form.locator('[name="city"]').select_option("hangzhou")
        form.locator('[name="deadline"]').fill((timezone.localdate() + timedelta(days=90)).isoformat())
        screenshot(firm, "demand-matching-1-the-firm-writes-its-need")
        firm.get_by_role("button", name=zh("Save draft")).click()
        firm.get_by_role("button", name=zh("Submit for review")).click()
        expect(firm.get_by_role("main")).to_contain_text(zh("Submitted for review"))

        broker = people.member(BROKER)
        broker.goto("/demands/moderation/")
        broker.get_by_role("link", name=TITLE).first.click()
        broker.get_by_role("button", name=zh("Approve and publish")).click()
        expect(broker.get_by_role("main")).to_contain_text(zh("Published"))

        # The published demand, as anyone finds it in the public list.
        firm.goto("/demands/")
        firm.get_by_role("link", name=TITLE).first.click()
        match = reload_until_matched(firm, "浙江大学")
        expect(firm.locator("#matches")).to_contain_text(zh("Patents that may answer this need"))
        expect(match).to_contain_text("缺陷检测")
        # The firm's own listings (it sells software too) are never offered to it.
        expect(firm.locator("#matches")).not_to_contain_text("杭州数衡智能科技有限公司")
        screenshot(firm, "demand-matching-2-the-university-patent-among-the-matches")

        # The public sees the same matches on the published demand.
        public = people.visitor("matching-visitor")
        public.goto(firm.url)
        expect(public.locator("#matches li.match", has_text="浙江大学").first).to_be_visible()

        match.get_by_role("link").first.click()
        expect(firm.get_by_role("heading", level=1)).to_be_visible()
        firm.get_by_role("link", name=zh("Enquire"), exact=True).first.click()
        firm.get_by_role("main").get_by_role("radio", name=zh("Licence"), exact=True).check()
        firm.get_by_role("button", name=zh("Send the enquiry (free)")).click()
        expect(firm).to_have_url(re.compile(r"/deals/negotiations/\d+/"))
        screenshot(firm, "demand-matching-3-the-room-opened-from-the-match")
