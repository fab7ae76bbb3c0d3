"""A person's rights over their personal data (个人信息保护法), from their side: the privacy notice, consent at
sign-up and again when the notice changes, a copy of their data, and closing their account."""

import json

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from deals.models import Deal, NegotiationMessage, ReadMark
from deals.services.negotiations import mark_read, message_post, offer_accept, offer_propose
from indicators.models import LedgerEntry
from listings.services import listing_attach
from marketplace.accounts.models import PrivacyConsent, User
from marketplace.background.mail import mail_queue
from marketplace.background.models import OutgoingMail
from marketplace.centres.models import CentreStaff
from marketplace.organisations.models import MemberRole, Membership
from payments.models import Payment, SavedCard
from search.alerts import saved_search_create
from search.models import SavedSearch
from tests.deals.conftest import on_market  # noqa: F401 - the published listing fixture
from tests.deals.factories import (
    ORDINARY_LICENCE_TERMS,
    TRANSFER_TERMS,
    complete_deal,
    deal_agreed,
    negotiation_opened,
)
from tests.factories import TEST_PASSWORD, ListingFactory, MembershipFactory, UserFactory, sign_in

pytestmark = pytest.mark.django_db

PAGE = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}  # what a browser sends when it opens a page


def signup_data(**changes) -> dict:
    data = {
        "email": "li.hua@example.cn",
        "display_name": "李华",
        "phone": "13800000000",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
        "privacy_consent": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def download(client) -> dict:
    response = client.get("/accounts/me/personal-data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def section(document: dict, key: str) -> list[dict]:
    return next(part["records"] for part in document["sections"] if part["key"] == key)


# --- The notice and consent -----------------------------------------------------------------------------------


def test_the_privacy_notice_is_a_public_page_in_chinese_and_english(client):
    chinese = client.get("/privacy/")
    assert chinese.status_code == 200
    assert "隐私政策" in chinese.text and settings.PRIVACY_NOTICE_VERSION in chinese.text
    assert settings.PRIVACY_CONTACT_EMAIL in chinese.text
    for words in ("Stripe", "运营中心", "注销"):
        assert words in chinese.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/privacy/")
    assert "Privacy notice" in english.text and "withdraw your consent" in english.text


def test_every_page_links_to_the_privacy_notice(client):
    assert 'href="/privacy/"' in client.get("/accounts/login/").text


def test_signing_up_without_agreeing_to_the_privacy_notice_is_refused_with_a_reason(client):
    response = client.post("/accounts/signup/", signup_data(privacy_consent=None))
    assert response.status_code == 200
    assert "请阅读并同意隐私政策" in response.text
    assert not User.objects.filter(email="li.hua@example.cn").exists()


def test_signing_up_records_consent_to_the_notice_in_force_with_time_and_address(client):
    response = client.post("/accounts/signup/", signup_data(), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    consent = PrivacyConsent.objects.get(user__email="li.hua@example.cn")
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION
    assert consent.ip_address == "203.0.113.9"
    assert consent.accepted_at is not None


def test_a_new_version_of_the_notice_is_put_to_a_signed_in_person_before_their_next_page(client, settings):
    client.post("/accounts/signup/", signup_data())
    assert client.get("/deals/", **PAGE).status_code == 200
    first_version = settings.PRIVACY_NOTICE_VERSION
    settings.PRIVACY_NOTICE_VERSION = "2099-01-01"

    asked = client.get("/deals/?page=1", **PAGE)
    assert asked.status_code == 302
    assert asked["Location"] == "/privacy/consent/?next=%2Fdeals%2F%3Fpage%3D1"
    page = client.get(asked["Location"])
    assert "2099-01-01" in page.text
    # Forms being sent, scripts asking for JSON, and the account pages (to leave instead) go through meanwhile.
    assert client.get("/accounts/me/", **PAGE).status_code == 200
    assert client.get("/deals/").status_code == 200

    refused = client.post("/privacy/consent/", {"next": "/deals/?page=1"})
    assert refused.status_code == 200
    assert "勾选" in refused.text
    accepted = client.post("/privacy/consent/", {"accept": "on", "next": "/deals/?page=1"})
    assert accepted["Location"] == "/deals/?page=1"
    versions = PrivacyConsent.objects.filter(user__email="li.hua@example.cn").values_list("notice_version", flat=True)
    assert sorted(versions) == [first_version, "2099-01-01"]
    assert client.get("/deals/", **PAGE).status_code == 200


def test_a_person_who_never_consented_is_asked_too(client):
    sign_in(client, UserFactory())
    response = client.get("/workspace/", **PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/privacy/consent/")


def test_the_consent_page_sends_nobody_off_the_site(client):
    sign_in(client, UserFactory())
    response = client.post("/privacy/consent/", {"accept": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/workspace/"


# --- One's account: correcting it --------------------------------------------------------------------------


def test_a_person_corrects_their_name_and_phone_on_their_account_page(client):
    client.post("/accounts/signup/", signup_data())
    page = client.get("/accounts/me/")
    assert "li.hua@example.cn" in page.text and settings.PRIVACY_NOTICE_VERSION in page.text
    response = client.post("/accounts/me/", {"display_name": "李华华", "phone": ""})
    assert response.status_code == 302
    user = User.objects.get(email="li.hua@example.cn")
    assert (user.display_name, user.phone) == ("李华华", "")


# --- A copy of one's data -------------------------------------------------------------------------------------


@pytest.fixture
def busy_buyer(world, on_market):  # noqa: F811
    """The world's buyer, having signed up, enquired, written, offered, paid (announced a transfer) and saved a
    search; the seller has written too, in the same room."""
    from payments.services import bank_transfer_declare
    from tests.deals.factories import sign_contract
    from tests.payments.factories import receipt

    buyer = world.buyer
    PrivacyConsent.objects.create(user=buyer, notice_version=settings.PRIVACY_NOTICE_VERSION, ip_address="10.0.0.1")
    negotiation = negotiation_opened(world, on_market, message="我们想了解独占许可的条件")
    message_post(negotiation=negotiation, actor=world.seller, body="卖方的话：欢迎洽谈")
    offer_propose(negotiation=negotiation, actor=buyer, terms={**ORDINARY_LICENCE_TERMS, "upfront_fee_fen": 3_000_000})
    deal = sign_contract(world, deal_agreed(world, on_market, "transfer"))
    bank_transfer_declare(
        instalment=deal.instalments.order_by("pk").first(),
        actor=buyer,
        payer="宁波甬新材料科技有限公司",
        transferred_on=deal.created_at.date(),
        evidence=receipt("转账回单.pdf"),
    )
    saved_search_create(user=buyer, name="固态电池提醒", text="固态电池", filters={}, language="zh-hans")
    saved_search_create(user=world.seller, name="卖方的搜索", text="卖方", filters={}, language="zh-hans")
    return buyer


def test_a_person_downloads_their_own_data_from_every_app_and_nobody_elses(client, world, busy_buyer):
    sign_in(client, busy_buyer)
    document = download(client)

    assert section(document, "accounts.account")[0]["email"] == busy_buyer.email
    assert section(document, "accounts.privacy_consents")[0]["ip_address"] == "10.0.0.1"
    memberships = section(document, "organisations.memberships")
    assert [row["organisation"] for row in memberships] == ["宁波甬新材料科技有限公司"]
    assert "我们想了解独占许可的条件" in [row["text"] for row in section(document, "deals.messages")]
    assert section(document, "deals.offers")[0]["upfront_fee_fen"] == 3_000_000
    assert len(section(document, "deals.negotiations_opened")) == 2
    [payment] = section(document, "payments.payments")
    assert payment["method"] == "银行转账" and payment["amount_fen"] > 0
    [transfer] = section(document, "payments.bank_transfers")
    assert transfer["receipt_file"].endswith(".pdf") and transfer["your_part"] == ["declared"]
    assert transfer["receipt_address"].startswith("/payments/deals/")
    assert [row["name"] for row in section(document, "search.saved_searches")] == ["固态电池提醒"]

    text = json.dumps(document, ensure_ascii=False)
    for theirs in ("卖方的话", "卖方的搜索", world.seller.email):
        assert theirs not in text


def test_a_seller_finds_their_listings_and_the_documents_they_uploaded_listed(client, world):
    listing = ListingFactory(seller=world.university, title="卖方创建的草稿", created_by=world.seller)
    upload = SimpleUploadedFile("技术说明.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    listing_attach(listing=listing, actor=world.seller, upload=upload)
    sign_in(client, world.seller)
    document = download(client)
    assert [row["title"] for row in section(document, "listings.created")] == ["卖方创建的草稿"]
    [attachment] = section(document, "listings.documents")
    assert attachment["file_name"] == "技术说明.pdf"
    assert attachment["address"] == f"/patents/{listing.pk}/documents/{listing.attachments.get().pk}/"


def test_staff_find_their_centre_roles_in_their_data(client, world):
    sign_in(client, world.ningbo_broker)
    roles = section(download(client), "centres.staff_roles")
    assert [row["centre"] for row in roles] == ["宁波知识产权交易中心"]


# --- Closing the account --------------------------------------------------------------------------------------


def close(client, password: str = TEST_PASSWORD, **extra):
    return client.post("/accounts/me/close/", {"password": password, "understood": "on", **extra})


def test_closing_needs_the_password_and_the_confirmation(client, world):
    sign_in(client, world.outsider)
    wrong = close(client, password="not-it")
    assert wrong.status_code == 200 and "密码不正确" in wrong.text
    unconfirmed = client.post("/accounts/me/close/", {"password": TEST_PASSWORD})
    assert unconfirmed.status_code == 200
    world.outsider.refresh_from_db()
    assert world.outsider.closed_at is None and world.outsider.is_active


def test_the_only_administrator_of_an_organisation_cannot_close_until_another_is_named(client, world):
    sign_in(client, world.buyer)
    page = client.get("/accounts/me/close/")
    assert "您是宁波甬新材料科技有限公司唯一的管理员" in page.text
    refused = close(client)
    assert refused.status_code == 200
    assert User.objects.get(pk=world.buyer.pk).closed_at is None

    MembershipFactory(organisation=world.enterprise, role=MemberRole.ADMIN)
    assert close(client).status_code == 302
    assert User.objects.get(pk=world.buyer.pk).closed_at is not None


@pytest.fixture
def finished_deal(world, on_market):  # noqa: F811
    """A completed deal (booked in the ledger) negotiated by the world's buyer, who wrote in its room, saved a
    card and a search, and has a colleague who administers the organisation with them."""
    negotiation = negotiation_opened(world, on_market, "transfer", message="买方确认付款安排")
    mark_read(negotiation=negotiation, user=world.buyer)
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=TRANSFER_TERMS)
    deal = complete_deal(world, offer_accept(offer=offer, actor=world.buyer))
    MembershipFactory(organisation=world.enterprise, role=MemberRole.ADMIN)
    SavedCard.objects.create(
        organisation=world.enterprise,
        gateway="stripe",
        customer_reference="cus_1",
        payment_method_reference="pm_1",
        brand="visa",
        last4="4242",
        auto_pay=True,
        created_by=world.buyer,
    )
    saved_search_create(user=world.buyer, name="锂电池", text="锂电池", filters={}, language="zh-hans")
    PrivacyConsent.objects.create(user=world.buyer, notice_version=settings.PRIVACY_NOTICE_VERSION)
    return deal


def test_closing_anonymises_the_person_and_keeps_the_deal_and_its_ledger(client, world, finished_deal):
    buyer = world.buyer
    ledger_before = list(LedgerEntry.objects.filter(deal=finished_deal).values_list("pk", "amount_fen"))
    assert ledger_before
    elsewhere = Client()
    sign_in(elsewhere, buyer)
    sign_in(client, buyer)

    response = close(client)
    assert response.status_code == 302 and response["Location"] == "/"

    closed = User.objects.get(pk=buyer.pk)
    assert closed.closed_at is not None and not closed.is_active
    assert closed.email == f"closed-{buyer.pk}@closed.invalid" and closed.username == closed.email
    assert (closed.display_name, closed.phone) == ("", "")
    assert not closed.has_usable_password()
    assert not Membership.objects.filter(user=closed).exists()
    assert not SavedSearch.objects.filter(user=closed).exists()
    assert not ReadMark.objects.filter(user=closed).exists()
    assert not SavedCard.objects.filter(created_by=closed, active=True).exists()
    assert PrivacyConsent.objects.filter(user=closed).exists(), "the consent stays as evidence"
    # The deal, its negotiation, what was written and the ledger stay as they were.
    deal = Deal.objects.get(pk=finished_deal.pk)
    assert deal.status == "completed"
    assert NegotiationMessage.objects.filter(author=closed, body="买方确认付款安排").exists()
    assert list(LedgerEntry.objects.filter(deal=deal).values_list("pk", "amount_fen")) == ledger_before
    # Every session of the account has ended, the one it was closed from and any other.
    assert client.get("/workspace/").status_code == 302
    assert elsewhere.get("/workspace/").status_code == 302


def test_the_negotiation_room_shows_a_closed_account_where_the_name_was(client, world, finished_deal):
    name = str(world.buyer)
    sign_in(client, world.buyer)
    close(client)
    sign_in(client, world.seller)
    room = client.get(f"/deals/negotiations/{finished_deal.negotiation_id}/")
    assert "已注销用户" in room.text and "买方确认付款安排" in room.text
    assert name not in room.text
    history = client.get(f"/deals/negotiations/{finished_deal.negotiation_id}/history.json").json()
    assert "已注销用户" in [event["author"] for event in history["messages"]]


def test_the_old_email_cannot_log_in_and_is_free_for_a_new_account(client, world, finished_deal):
    old_email = world.buyer.email
    sign_in(client, world.buyer)
    close(client)
    assert not Client().login(username=old_email, password=TEST_PASSWORD)
    refused = Client().post("/accounts/login/", {"username": old_email, "password": TEST_PASSWORD})
    assert refused.status_code == 200
    response = Client().post("/accounts/signup/", signup_data(email=old_email))
    assert response.status_code == 302
    fresh = User.objects.get(email=old_email)
    assert fresh.pk != world.buyer.pk and not fresh.memberships.exists()


def test_closing_ends_staff_roles_their_second_step_and_takes_the_address_out_of_the_mail_queue(client, world):
    broker = world.ningbo_broker
    PrivacyConsent.objects.create(user=broker, notice_version=settings.PRIVACY_NOTICE_VERSION)
    mail_queue(EmailMessage("只给经纪人", "正文", to=[broker.email]))
    mail_queue(EmailMessage("给经纪人和同事", "正文", to=[broker.email.upper(), "colleague@example.cn"]))
    mail.outbox.clear()
    sign_in(client, broker)
    assert close(client).status_code == 302
    assert not CentreStaff.objects.filter(user_id=broker.pk).exists()
    assert not TOTPDevice.objects.filter(user_id=broker.pk).exists()
    assert list(OutgoingMail.objects.values_list("subject", "to")) == [("给经纪人和同事", ["colleague@example.cn"])]


def test_payments_started_by_a_closed_account_stay_on_the_deal(client, world, busy_buyer):
    MembershipFactory(organisation=world.enterprise, role=MemberRole.ADMIN)
    payments = list(Payment.objects.filter(created_by=busy_buyer).values_list("pk", "amount_fen", "status"))
    sign_in(client, busy_buyer)
    assert close(client).status_code == 302
    assert list(Payment.objects.filter(created_by_id=busy_buyer.pk).values_list("pk", "amount_fen", "status")) == (
        payments
    )


def test_platform_administrators_read_the_consents_in_the_admin_but_cannot_change_them(client, busy_buyer):
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/django-admin/accounts/privacyconsent/")
    assert listing.status_code == 200 and busy_buyer.email in listing.text
    consent = PrivacyConsent.objects.get(user=busy_buyer)
    assert client.post(f"/django-admin/accounts/privacyconsent/{consent.pk}/delete/").status_code == 403
    assert client.get("/django-admin/accounts/user/?closed_at__isnull=False").status_code == 200
