"""An NDA gate in Chromium (issue 25): 浙江大学's seller uploads a confidential test report to a listing on the
market; a visitor sees that it exists (name, size, "confidential") but no link; the buyer of 杭州数衡智能科技 reads the
listing's NDA, accepts it on behalf of the firm, and downloads the report; the seller finds the acceptance and the
download, with the firm's name, in the listing's workspace."""

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.ui import screenshot, zh

pytestmark = pytest.mark.browser

SELLER = "seller.zju@demo.ipx.cn"
BUYER = "buyer@demo.ipx.cn"
FIRM = "杭州数衡智能科技有限公司"
REPORT = "中试检测报告-保密.pdf"
PDF = b"%PDF-1.7\n%confidential pilot test report\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class TestAnNdaGate:
    def test_a_buyer_accepts_the_nda_for_its_firm_downloads_and_the_seller_sees_it(self, people):
        seller = people.member(SELLER)
        seller.goto("/patents/workspace/")
        row = seller.locator("tr", has=seller.locator(".status-published")).first
        row.get_by_role("link").first.click()
        expect(seller).to_have_url(re.compile(r"/patents/workspace/\d+/$"))
        listing_pk = re.search(r"/patents/workspace/(\d+)/", seller.url).group(1)
        upload = seller.locator(f'form[action="/patents/workspace/{listing_pk}/attachments/"]')
        upload.locator('input[type="file"]').set_input_files(
            {"name": REPORT, "mimeType": "application/pdf", "buffer": PDF}
        )
        upload.locator('input[name="confidential"]').check()
        upload.get_by_role("button", name=zh("Upload")).click()
        expect(seller.get_by_role("main")).to_contain_text(zh("Attachment added."))
        screenshot(seller, "nda-1-the-seller-uploads-a-confidential-report")

        listing_url = f"/patents/{listing_pk}/"
        visitor = people.visitor("nda-visitor")
        visitor.goto(listing_url)
        documents = visitor.locator("section", has=visitor.locator("#attachments-title"))
        item = documents.locator("li", has_text=REPORT)
        expect(item).to_contain_text(zh("Confidential"))
        expect(item.get_by_role("link")).to_have_count(0)
        screenshot(visitor, "nda-2-a-visitor-sees-the-report-exists-but-no-link")

        buyer = people.member(BUYER)
        buyer.goto(listing_url)
        documents = buyer.locator("section", has=buyer.locator("#attachments-title"))
        expect(documents.locator("li", has_text=REPORT).get_by_role("link")).to_have_count(0)
        documents.get_by_role("link", name=zh("Read and accept the NDA")).click()
        expect(buyer.get_by_role("heading", level=1)).to_have_text(zh("Non-disclosure agreement"))
        expect(buyer.get_by_role("main")).to_contain_text("保密协议（平台标准文本）")
        buyer.get_by_label(
            zh("I have read this agreement and accept it on behalf of the organisation chosen above.")
        ).check()
        screenshot(buyer, "nda-3-the-buyer-reads-the-nda")
        buyer.get_by_role("button", name=zh("I accept on behalf of %(organisation)s", organisation=FIRM)).click()
        expect(buyer.get_by_role("main")).to_contain_text(
            zh("NDA accepted. The confidential documents are open to your organisation.")
        )

        with buyer.expect_download() as download_info:
            buyer.get_by_role("link", name=REPORT).click()
        download = download_info.value
        assert download.suggested_filename.endswith(".pdf")
        with open(download.path(), "rb") as saved:
            assert saved.read() == PDF

        seller.goto(f"/patents/workspace/{listing_pk}/")
        acceptances = seller.locator("table", has=seller.locator("th", has_text=zh("Accepted at")))
        expect(acceptances.locator("tr", has_text=FIRM)).to_have_count(1)
        downloads = seller.locator("table", has=seller.locator("th", has_text=zh("Document")))
        expect(downloads.locator("tr", has_text=REPORT)).to_contain_text(FIRM)
        screenshot(seller, "nda-4-the-seller-sees-the-acceptance-and-the-download")
