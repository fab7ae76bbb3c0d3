"""The deal lifecycle as its people use it: sign the contract, read and download it, record the registrations,
settle, cancel; what each person sees next, and "why we passed"."""

import base64
import re
import zlib
from datetime import timedelta

import pytest
from django.urls import include, path, reverse
from django.utils import timezone

from deals.contracts import contract_reference
from deals.deal_workspace import deals_needing_action, next_step
from deals.models import ContractRegistration, DealStatus, PassReason
from deals.selectors import deal_side
from deals.services.deals import deal_mark_settled, deal_sign
from deals.services.negotiations import negotiation_open, negotiation_pass
from deals.templatetags.deal_tags import yuan_in_capitals
from listings.models import ListingTerms
from tests.deals.factories import EQUITY_TERMS, ORDINARY_LICENCE_TERMS, deal_agreed, deal_signed
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """The site speaks Chinese by default; these tests read the English source text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def registration_data(total="500000.00", technology="480000.50", number="330201-2026-000123"):
    return {
        "registration-number": number,
        "registration-registered_on": timezone.localdate().isoformat(),
        "registration-contract_type": "licensing",
        "registration-contract_total_fen": total,
        "registration-technology_amount_fen": technology,
    }


def pdf_text(pdf: bytes) -> str:
    """The text drawn in the PDF: reportlab writes ASCII85 + Flate streams whose strings, in the CJK font, are
    UCS-2 with PDF escapes. Enough to check what a reader would see, without a PDF library."""
    found = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        content = zlib.decompress(base64.a85decode(raw.strip().removesuffix(b"~>")))
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            unescaped = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit() else m.group(1),
                literal,
            )
            found.append(unescaped.decode("utf-16-be", errors="replace"))
    return "\n".join(found)


def test_both_parties_sign_through_the_page_and_the_deal_becomes_contract_signed(world, on_market, client):
    deal = deal_agreed(world, on_market)
    sign_in(client, world.buyer)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "Read the contract and sign it." in page and 'aria-current="step"' in page
    assert "¥500,000.00" in page and world.university.credit_code in page

    refused = client.post(f"/deals/{deal.pk}/sign/", {})
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    response = client.post(f"/deals/{deal.pk}/sign/", {"sign-confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/deals/{deal.pk}/"
    deal.refresh_from_db()
    assert deal.status == DealStatus.AGREED and deal.buyer_signed_at is not None
    assert "Wait for the other party to sign the contract." in client.get(f"/deals/{deal.pk}/").content.decode()

    sign_in(client, world.ningbo_broker)
    assert client.post(f"/deals/{deal.pk}/sign/", {"sign-confirm": "on"}).status_code == 403

    sign_in(client, world.seller)
    client.post(f"/deals/{deal.pk}/sign/", {"sign-confirm": "on"})
    deal.refresh_from_db()
    assert deal.status == DealStatus.CONTRACT_SIGNED
    assert list(deal.events.values_list("to_status", flat=True)) == ["agreed", "contract_signed"]


def test_the_contract_shows_the_parties_their_credit_codes_the_patent_and_the_accepted_amounts(
    world, on_market, client, settings
):
    deal = deal_signed(world, on_market)
    patent = on_market.patents.get()
    sign_in(client, world.seller)
    page = client.get(f"/deals/{deal.pk}/contract/").content.decode()
    for text in (
        "Patent licence contract",
        world.university.name,
        world.university.credit_code,
        world.enterprise.name,
        world.enterprise.credit_code,
        patent.display_number,
        patent.title,
        "¥500,000.00",
        "人民币伍拾万元整",
        "中国大陆",
        "动力电池",
        "5 years",
        contract_reference(deal),
        "/static/css/deals.css",
    ):
        assert text in page, text
    assert "Not yet confirmed" not in page  # both have signed: the times are shown
    # Printed, the contract is the page: the stylesheet's print rules hide the site around it.
    stylesheet = (settings.BASE_DIR / "static" / "css" / "deals.css").read_text()
    assert "@media print" in stylesheet.split(".contract {", 1)[1]


def test_the_contract_downloads_as_a_pdf_with_its_text(world, on_market, client, settings):
    deal = deal_signed(world, on_market)
    patent = on_market.patents.get()
    sign_in(client, world.buyer)
    response = client.get(f"/deals/{deal.pk}/contract.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="contract-{contract_reference(deal)}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF") and len(response.content) > 3000
    text = pdf_text(response.content)
    for expected in (world.university.name, world.enterprise.credit_code, patent.display_number, "500,000.00"):
        assert expected in text, expected

    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # the site's own language: Chinese, wrapped as Chinese
    chinese = client.get(f"/deals/{deal.pk}/contract.pdf")
    assert chinese.content.startswith(b"%PDF") and "人民币伍拾万元整" in pdf_text(chinese.content)


def test_a_broker_of_the_hosting_centre_records_the_registration_in_yuan(world, on_market, client):
    deal = deal_signed(world, on_market)
    sign_in(client, world.ningbo_broker)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "Record the technology contract registration." in page
    assert 'value="500000"' in page  # the contract total, prefilled from the accepted upfront fee
    assert "less non-technical costs such as equipment" in page

    response = client.post(f"/deals/{deal.pk}/register/", registration_data())
    assert response.status_code == 302
    registration = ContractRegistration.objects.get(deal=deal)
    assert (registration.contract_total_fen, registration.technology_amount_fen) == (50_000_000, 48_000_050)
    assert registration.recorded_by == world.ningbo_broker and registration.contract_type == "licensing"
    deal.refresh_from_db()
    assert deal.status == DealStatus.REGISTERED
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "330201-2026-000123" in page and "¥480,000.50" in page


def test_only_a_broker_of_the_hosting_centre_may_record_the_registration(world, on_market, client):
    deal = deal_signed(world, on_market)
    sign_in(client, world.hangzhou_broker)
    assert client.post(f"/deals/{deal.pk}/register/", registration_data()).status_code == 404
    sign_in(client, world.alliance_broker)  # a centre below Ningbo does not act for Ningbo
    assert client.post(f"/deals/{deal.pk}/register/", registration_data()).status_code == 404
    sign_in(client, world.buyer)
    assert "registration-number" not in client.get(f"/deals/{deal.pk}/").content.decode()
    assert client.post(f"/deals/{deal.pk}/register/", registration_data()).status_code == 403
    assert not ContractRegistration.objects.exists()


def test_a_technology_amount_above_the_contract_total_is_refused_with_a_clear_message(world, on_market, client):
    deal = deal_signed(world, on_market)
    sign_in(client, world.ningbo_broker)
    response = client.post(f"/deals/{deal.pk}/register/", registration_data(total="100000", technology="100000.01"))
    assert response.status_code == 200
    assert "The technology transaction amount cannot exceed the contract total" in response.content.decode()
    assert not ContractRegistration.objects.exists()


def test_a_registration_dated_in_the_future_or_with_a_used_number_is_refused(world, on_market, client):
    ordinary = ORDINARY_LICENCE_TERMS
    deal = deal_signed(world, on_market, terms=ordinary)
    sign_in(client, world.ningbo_broker)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/deals/{deal.pk}/register/", {**registration_data(), "registration-registered_on": tomorrow}
    )
    assert "cannot be in the future" in response.content.decode()

    other = deal_signed(world, on_market, terms=ordinary)
    client.post(f"/deals/{other.pk}/register/", registration_data())
    response = client.post(f"/deals/{deal.pk}/register/", registration_data())
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert ContractRegistration.objects.count() == 1


def test_settlement_reported_by_the_payments_app_after_registration_completes_the_deal(world, on_market, client):
    deal = deal_signed(world, on_market)
    sign_in(client, world.buyer)
    assert "Pay what is due under the contract." in client.get(f"/deals/{deal.pk}/").content.decode()
    sign_in(client, world.ningbo_broker)
    client.post(f"/deals/{deal.pk}/register/", registration_data())

    deal_mark_settled(deal=deal)  # as the payments app does when everything due is paid

    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED
    sign_in(client, world.buyer)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "Nothing: the deal is completed." in page and "Pay what is due" not in page
    assert "the platform" in page  # the settlement event has no person behind it
    assert "Cancel the deal" not in page  # only a broker may reverse a completed deal


def test_an_equity_deal_settles_on_a_recorded_share_registration(world, on_market, client):
    deal = deal_signed(world, on_market, mode="equity", terms=EQUITY_TERMS)
    sign_in(client, world.buyer)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "Pay what is due" not in page
    assert "Wait for the broker to record the contract and the share registration." in page

    sign_in(client, world.ningbo_broker)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert 'value="宁波甬新储能有限公司"' in page and 'value="3000000"' in page
    response = client.post(
        f"/deals/{deal.pk}/shares/",
        {
            "shares-company": "宁波甬新储能有限公司",
            "shares-share_percent": "15",
            "shares-registered_on": timezone.localdate().isoformat(),
            "shares-reference": "甬市监变更〔2026〕118号",
        },
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.status == DealStatus.SETTLED and deal.share_registration.reference == "甬市监变更〔2026〕118号"

    client.post(f"/deals/{deal.pk}/register/", {**registration_data(), "registration-contract_type": "transfer"})
    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED
    contract = client.get(f"/deals/{deal.pk}/contract/").content.decode()
    assert "Agreement on contributing patents as equity" in contract and "甬市监变更〔2026〕118号" in contract


def test_a_party_cancels_an_agreed_deal_with_a_reason_and_a_broker_a_signed_one(world, on_market, client):
    deal = deal_agreed(world, on_market)
    sign_in(client, world.buyer)
    response = client.post(f"/deals/{deal.pk}/cancel/", {"cancel-reason": "  "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    client.post(f"/deals/{deal.pk}/cancel/", {"cancel-reason": "董事会未批准"})
    deal.refresh_from_db()
    assert deal.status == DealStatus.CANCELLED and deal.cancel_reason == "董事会未批准"
    assert ListingTerms.objects.get(listing=on_market, mode="licence").is_open  # the exclusive claim is released
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "董事会未批准" in page and "Nothing: the deal was cancelled." in page

    signed = deal_signed(world, on_market)
    assert "Cancel the deal" not in client.get(f"/deals/{signed.pk}/").content.decode()
    assert client.post(f"/deals/{signed.pk}/cancel/", {"cancel-reason": "不想要了"}).status_code == 403
    sign_in(client, world.ningbo_broker)
    assert "Cancel the deal" in client.get(f"/deals/{signed.pk}/").content.decode()
    client.post(f"/deals/{signed.pk}/cancel/", {"cancel-reason": "双方协商解除"})
    signed.refresh_from_db()
    assert signed.status == DealStatus.CANCELLED
    assert signed.events.last().note == "双方协商解除" and signed.events.last().actor == world.ningbo_broker


def test_outsiders_get_404_on_every_deal_url(world, on_market, client):
    deal = deal_signed(world, on_market)
    for person in (world.outsider, world.hangzhou_broker, world.stranger):
        sign_in(client, person)
        for suffix in ("", "contract/", "contract.pdf"):
            assert client.get(f"/deals/{deal.pk}/{suffix}").status_code == 404, (person, suffix)
        for suffix in ("sign/", "register/", "shares/", "cancel/"):
            assert client.post(f"/deals/{deal.pk}/{suffix}", {"cancel-reason": "x"}).status_code == 404
        assert f"/deals/{deal.pk}/" not in client.get("/deals/").content.decode()
    client.logout()
    assert client.get(f"/deals/{deal.pk}/").status_code == 302  # to the login page
    deal.refresh_from_db()
    assert deal.status == DealStatus.CONTRACT_SIGNED


def test_root_staff_see_every_deal_as_brokers(world, on_market, client):
    deal = deal_signed(world, on_market)
    sign_in(client, world.root_staff)
    assert "Record the technology contract registration." in client.get(f"/deals/{deal.pk}/").content.decode()


def test_why_we_passed_is_aggregated_for_the_seller_and_the_centre(world, on_market, client):
    for reason, text in ((PassReason.PRICE, ""), (PassReason.PRICE, ""), (PassReason.OTHER, "需要先做中试验证")):
        negotiation = negotiation_open(listing=on_market, mode="licence", actor=world.buyer, buyer=world.enterprise)
        negotiation_pass(negotiation=negotiation, actor=world.buyer, reason=reason, text=text)

    for person in (world.seller, world.ningbo_broker, world.root_staff):
        sign_in(client, person)
        page = client.get("/deals/why-we-passed/").content.decode()
        assert "3 negotiations ended by the buyer" in page
        assert re.search(r"<td>Price</td>\s*<td>2</td>", page) and "67 %" in page and "33 %" in page
        assert "需要先做中试验证" in page

    sign_in(client, world.hangzhou_broker)  # staff, but Ningbo's listings are not theirs
    page = client.get("/deals/why-we-passed/").content.decode()
    assert "No buyer has ended a negotiation yet." in page and "需要先做中试验证" not in page

    for person in (world.stranger, world.outsider, world.buyer):
        sign_in(client, person)
        assert client.get("/deals/why-we-passed/").status_code == 403


def test_the_deals_list_shows_each_persons_state_and_next_action(world, on_market, client):
    deal = deal_agreed(world, on_market)
    expectations = {
        world.buyer: "Read the contract and sign it.",
        world.seller: "Read the contract and sign it.",
        world.ningbo_broker: "Wait for both parties to sign the contract.",
    }
    for person, text in expectations.items():
        sign_in(client, person)
        page = client.get("/deals/").content.decode()
        assert f"/deals/{deal.pk}/" in page and text in page and "Agreed" in page

    deal_sign(deal=deal, actor=world.buyer)
    deal_sign(deal=deal, actor=world.seller)
    sign_in(client, world.ningbo_broker)
    assert "Record the technology contract registration." in client.get("/deals/").content.decode()
    sign_in(client, world.seller)
    assert "Wait for the buyer&#x27;s payment and the broker&#x27;s contract registration." in (
        client.get("/deals/").content.decode()
    )


def test_the_workspace_panel_lists_the_deals_waiting_for_the_person(world, on_market, client):
    deal = deal_agreed(world, on_market)
    sign_in(client, world.buyer)
    page = client.get("/workspace/").content.decode()
    assert "Waiting for you" in page and f"/deals/{deal.pk}/" in page and "Read the contract and sign it." in page
    assert "/deals/why-we-passed/" not in page  # a buyer has no listings to learn about
    deal_sign(deal=deal, actor=world.buyer)
    page = client.get("/workspace/").content.decode()
    assert "Nothing is waiting for you." in page
    sign_in(client, world.seller)
    assert "/deals/why-we-passed/" in client.get("/workspace/").content.decode()
    sign_in(client, world.stranger)
    assert "deals-panel-title" not in client.get("/workspace/").content.decode()


def test_deals_needing_action_agrees_with_next_step_at_every_stage(world, on_market):
    deal = deal_agreed(world, on_market)
    people = (world.buyer, world.seller, world.ningbo_broker, world.root_staff, world.hangzhou_broker)

    def check():
        deal.refresh_from_db()
        for person in people:
            expected = next_step(deal, deal_side(deal, person)).needs_you
            assert (deal in [row[0] for row in deals_needing_action(person)]) == expected, (deal.status, person)

    check()
    deal_sign(deal=deal, actor=world.buyer)
    check()
    deal_sign(deal=deal, actor=world.seller)
    check()
    deal_mark_settled(deal=deal)
    check()


# The site without the payments app: the deal pages must not link to a page that does not exist.
urlpatterns = [
    path("deals/", include("deals.urls")),
    path("notices/", include("deals.notice_urls")),
    path("", include("portal.urls")),
    path("accounts/", include("marketplace.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("centres/", include("marketplace.centres.urls")),
    path("organisations/", include("marketplace.organisations.urls")),
    path("privacy/", include("marketplace.accounts.privacy_urls")),
]


def test_the_pay_link_appears_only_where_the_payments_app_provides_its_page(world, on_market, client, settings):
    deal = deal_signed(world, on_market)
    pay_link = f'href="{reverse("payments:deal", args=[deal.pk])}"'
    sign_in(client, world.buyer)
    assert pay_link in client.get(f"/deals/{deal.pk}/").content.decode()
    assert pay_link in client.get("/deals/").content.decode()

    settings.ROOT_URLCONF = "tests.deals.test_deal_views"
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "Pay what is due under the contract." in page and pay_link not in page
    assert "The payment page for this deal is not open yet" in page


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (50_000_000, "人民币伍拾万元整"),
        (1_000_500, "人民币壹万零伍元整"),
        (100_000_050, "人民币壹佰万元伍角整"),
        (1005, "人民币壹拾元零伍分"),
        (100_000_500_000, "人民币壹拾亿零伍仟元整"),
        (0, "人民币零元整"),
    ],
)
def test_contract_amounts_are_written_in_capital_numerals(fen, words):
    assert yuan_in_capitals(fen) == words
