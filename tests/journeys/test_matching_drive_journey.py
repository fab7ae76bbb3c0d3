"""A centre runs a matching drive to 200 firms and watches its funnel move when one firm enquires: the provincial
centre's broker picks 浙江大学's idle listings and the firms of 丽水, previews the pairs and sends them; the task
runner delivers one digest to each; a firm opens its digest from its workspace and enquires on a listing from it;
the drive's page then counts that firm as opened and enquiring."""

import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.journeys.ui import ROOT, screenshot, zh

pytestmark = pytest.mark.browser

BROKER = "broker.province@demo.ipx.cn"
DRIVE_TITLE = "丽水企业专项推送"


def two_hundred_firms(site) -> dict:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", "from tests.drives.scenario import main; main()"],
        cwd=ROOT,
        env={**site.env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def stage_count(page, stage: str):
    return page.locator(f'#funnel li[data-stage="{stage}"] .funnel-count')


def reload_until(page, stage: str, count: int, attempts: int = 30) -> None:
    """The runner works beside the page: reload until the stage shows the count (or fail with what it shows)."""
    for _attempt in range(attempts):
        if stage_count(page, stage).count() and stage_count(page, stage).inner_text() == str(count):
            return
        page.wait_for_timeout(1000)
        page.reload()
    expect(stage_count(page, stage)).to_have_text(str(count))


class TestAMatchingDriveToTwoHundredFirms:
    def test_staff_run_a_drive_to_200_firms_and_see_the_funnel_move_when_one_firm_enquires(self, people, live_site):
        scenario = two_hundred_firms(live_site)
        assert scenario["firms"] == 200

        staff = people.member(BROKER)
        staff.goto("/workspace/")
        staff.get_by_role("link", name=zh("New drive")).first.click()
        expect(staff.get_by_role("heading", level=1)).to_have_text(zh("New matching drive"))
        staff.get_by_label(zh("Title")).fill(DRIVE_TITLE)
        staff.get_by_role("checkbox", name=f"浙江大学 · {zh('University')}", exact=True).check()
        staff.get_by_role("checkbox", name=zh("Lishui"), exact=True).check()
        staff.get_by_label(zh("Listings per firm, at most")).fill("3")
        screenshot(staff, "drive-1-staff-build-a-drive")
        staff.get_by_role("button", name=zh("Preview the pairs")).click()

        expect(staff.locator("#plan-summary")).to_contain_text("200")
        expect(staff.get_by_role("main")).to_contain_text(scenario["firm"])
        screenshot(staff, "drive-2-staff-preview-the-pairs")
        staff.get_by_role("button", name=re.compile("200")).click()

        reload_until(staff, "sent", 200)
        expect(stage_count(staff, "opened")).to_have_text("0")
        expect(stage_count(staff, "enquiries")).to_have_text("0")
        drive_url = staff.url
        screenshot(staff, "drive-3-the-funnel-after-sending")

        firm = people.member(scenario["email"], scenario["password"])
        firm.goto("/workspace/")
        firm.get_by_role("link", name=DRIVE_TITLE).first.click()
        expect(firm.get_by_role("main")).to_contain_text(zh("Why this listing:"))
        screenshot(firm, "drive-4-the-firm-reads-its-digest")
        firm.locator("#digest").get_by_role("link", name=zh("Enquire"), exact=True).first.click()
        expect(firm.get_by_role("main")).to_contain_text(zh("Enquiring is free."))
        firm.locator("input[name=mode]").first.check()
        firm.get_by_label(zh("Message to the seller (optional)")).fill("收到交易中心的推送，想了解许可条件。")
        firm.get_by_role("button", name=zh("Send the enquiry (free)")).click()
        expect(firm.get_by_role("main")).to_contain_text("收到交易中心的推送")

        staff.goto(drive_url)
        expect(stage_count(staff, "sent")).to_have_text("200")
        expect(stage_count(staff, "opened")).to_have_text("1")
        expect(stage_count(staff, "enquiries")).to_have_text("1")
        expect(staff.locator("#by-firm")).to_contain_text(scenario["firm"])
        screenshot(staff, "drive-5-the-funnel-moves")
