"""The page where a bidder pays its auction deposit (竞买保证金), and where the staff of the centre holding it
record and confirm the deposit's bank transfer, read and used from the browser's side: who sees it, what they see,
and what each form does, through the deal payment page's own flow (tests/payments/test_signatory_payments.py)."""

import html
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from payments.models import BankTransfer, CollectionAccount, InstalmentStatus, Payment, PaymentStatus
from payments.services import bank_transfer_declare, bank_transfer_record, deposit_instalment_open, transfer_reference
from tests.factories import CentreStaffFactory, MembershipFactory, UserFactory, sign_in
from tests.payments.factories import RECEIPT

pytestmark = pytest.mark.django_db

LABEL = "竞买保证金 · 一种固态电解质的制备方法 第1轮"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def deposit(world):
    """¥100,000 that 宁波甬新材料 owes the Ningbo centre before it may bid."""
    return deposit_instalment_open(
        payer=world.enterprise, centre=world.ningbo, amount_fen=10_000_000, reference="auction-test-1", label=LABEL
    )


@pytest.fixture
def account(world):
    return CollectionAccount.objects.create(
        centre=world.ningbo,
        account_name="宁波知识产权交易中心有限公司",
        bank_name="中国银行宁波分行",
        account_number="3581 0000 1234",
    )


@pytest.fixture
def clerk(world):
    """A member of the bidder who is not its signatory."""
    return MembershipFactory(organisation=world.enterprise, user=UserFactory(display_name="出纳 孙丽")).user


@pytest.fixture
def second_ningbo_broker(world):
    return CentreStaffFactory(centre=world.ningbo).user


def page_of(deposit) -> str:
    return f"/payments/deposits/{deposit.pk}/"


def slip(name: str = "回单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, RECEIPT, content_type="application/pdf")


def read(response) -> str:
    return html.unescape(response.content.decode())


def messages_on(response) -> list[str]:
    found = re.findall(r'<p class="message message-(\w+)">(.*?)</p>', response.content.decode(), flags=re.S)
    return [f"{kind}: {html.unescape(text).strip()}" for kind, text in found]


def status_on(page: str) -> str:
    return re.search(r'class="badge deposit-status[^"]*">([^<]*)<', page).group(1)


def post_from_page(client, deposit, action: str, data: dict):
    """Post a form the deposit page shows, and follow back to the page."""
    assert f'action="{action}"' in client.get(page_of(deposit)).content.decode(), f"no form posts to {action}"
    response = client.post(action, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == page_of(deposit)
    return response


def announce(client, deposit, *, transferred_on=None, evidence="default"):
    data = {
        "instalment": deposit.pk,
        "payer": "宁波甬新材料科技有限公司",
        "transferred_on": (transferred_on or timezone.localdate()).isoformat(),
    }
    if evidence == "default":
        data["evidence"] = slip()
    return post_from_page(client, deposit, f"/payments/deposits/{deposit.pk}/transfer/announce/", data)


# --- The bidder -------------------------------------------------------------------------------------------------


def test_the_signatory_sees_what_to_pay_where_and_announces_a_transfer(client, world, deposit, account):
    sign_in(client, world.buyer)
    page = read(client.get(page_of(deposit)))
    assert LABEL in page and "¥100,000" in page and status_on(page) == "Due"
    reference = transfer_reference(deposit)
    assert reference in page
    assert "中国银行宁波分行" in page and "3581 0000 1234" in page
    assert "Pay by card" in page and "I have transferred it" in page

    response = announce(client, deposit)

    assert messages_on(response) == ["success: Transfer announced: a broker records it once it reaches the account."]
    payment = Payment.objects.get(instalment=deposit)
    assert payment.status == PaymentStatus.DECLARED and payment.amount_fen == 10_000_000
    assert payment.bank_transfer.declared_by == world.buyer and payment.bank_transfer.evidence
    page = read(response)
    assert "You announced a bank transfer" in page and "I have transferred it" not in page
    # The slip can be read back from the page's link.
    evidence = client.get(f"/payments/deposits/{deposit.pk}/transfer/{payment.pk}/evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == RECEIPT


def test_the_signatory_withdraws_an_announcement_to_pay_another_way(client, world, deposit):
    sign_in(client, world.buyer)
    announce(client, deposit)
    payment = Payment.objects.get(instalment=deposit)
    response = post_from_page(client, deposit, f"/payments/deposits/{deposit.pk}/transfer/{payment.pk}/withdraw/", {})
    assert messages_on(response) == ["success: The announcement is withdrawn; you may pay another way."]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert "I have transferred it" in read(response)


def test_a_plain_member_sees_the_deposit_and_why_they_cannot_pay_it(client, world, deposit, clerk):
    sign_in(client, clerk)
    page = read(client.get(page_of(deposit)))
    assert LABEL in page and "¥100,000" in page and transfer_reference(deposit) in page
    assert "You are not a signatory: you see what is due, but you cannot pay for your organisation." in page
    assert "Only a verified signatory of 宁波甬新材料科技有限公司 may commit its money." in page
    assert f"Ask {world.buyer}." in page
    assert "Pay by card" not in page and "I have transferred it" not in page
    assert "card-payment.js" not in page


def test_a_plain_member_who_posts_the_form_anyway_announces_nothing(client, world, deposit, clerk):
    sign_in(client, clerk)
    response = client.post(
        f"/payments/deposits/{deposit.pk}/transfer/announce/",
        {
            "instalment": deposit.pk,
            "payer": "x",
            "transferred_on": timezone.localdate().isoformat(),
            "evidence": slip(),
        },
        follow=True,
    )
    assert "Only a verified signatory of 宁波甬新材料科技有限公司 may commit its money." in read(response)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "stranger", "hangzhou_broker", "seller"])
def test_anyone_else_finds_no_such_page(client, world, deposit, who):
    sign_in(client, getattr(world, who))
    assert client.get(page_of(deposit)).status_code == 404
    assert client.post(f"/payments/deposits/{deposit.pk}/transfer/", {}).status_code == 404
    assert client.get(f"/payments/deposits/{deposit.pk}/status/").status_code == 404


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(client, deposit):
    response = client.get(page_of(deposit))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_instalment_of_a_deal_is_not_a_deposit_page(client, world, signed_deal):
    sign_in(client, world.buyer)
    assert client.get(page_of(signed_deal.instalments.first())).status_code == 404


# --- The centre's staff ---------------------------------------------------------------------------------------


def test_one_broker_records_a_second_confirms_and_the_deposit_is_paid(client, world, deposit, second_ningbo_broker):
    bank_transfer_declare(
        instalment=deposit,
        actor=world.buyer,
        payer="宁波甬新材料科技有限公司",
        transferred_on=timezone.localdate(),
        evidence=slip(),
    )
    sign_in(client, world.ningbo_broker)
    page = read(client.get(page_of(deposit)))
    assert "Record the announced transfer from the bank statement" in page and transfer_reference(deposit) in page
    response = post_from_page(
        client,
        deposit,
        f"/payments/deposits/{deposit.pk}/transfer/",
        {
            "instalment": deposit.pk,
            "payer": "宁波甬新材料科技有限公司",
            "amount_fen": "100000.00",
            "transferred_on": timezone.localdate().isoformat(),
            "bank_reference": "BOC-DEP-0001",
        },
    )
    assert messages_on(response) == [
        "success: Transfer recorded. A second staff member must confirm it before it counts."
    ]
    payment = Payment.objects.get(instalment=deposit)
    assert payment.status == PaymentStatus.AWAITING_CONFIRMATION

    sign_in(client, second_ningbo_broker)
    page = read(client.get(page_of(deposit)))
    assert "Bank transfers awaiting confirmation" in page and "BOC-DEP-0001" in page
    response = post_from_page(client, deposit, f"/payments/deposits/{deposit.pk}/transfer/{payment.pk}/confirm/", {})

    assert messages_on(response) == ["success: Transfer confirmed."]
    assert status_on(read(response)) == "Paid"
    deposit.refresh_from_db()
    assert deposit.status == InstalmentStatus.PAID
    # The bidder sees it paid too, with nothing left to pay.
    sign_in(client, world.buyer)
    page = read(client.get(page_of(deposit)))
    assert status_on(page) == "Paid" and "Pay by card" not in page and "I have transferred it" not in page


def test_a_broker_cannot_confirm_the_transfer_they_recorded(client, world, deposit):
    payment = bank_transfer_record(
        instalment=deposit,
        actor=world.ningbo_broker,
        payer="宁波甬新材料科技有限公司",
        amount_fen=10_000_000,
        transferred_on=timezone.localdate(),
        bank_reference="BOC-DEP-0002",
        evidence=slip(),
    )
    sign_in(client, world.ningbo_broker)
    response = post_from_page(client, deposit, f"/payments/deposits/{deposit.pk}/transfer/{payment.pk}/confirm/", {})
    assert messages_on(response) == ["error: A second staff member must confirm a transfer; you recorded this one."]
    payment.refresh_from_db()
    deposit.refresh_from_db()
    assert payment.status == PaymentStatus.AWAITING_CONFIRMATION and deposit.status == InstalmentStatus.DUE
    assert status_on(read(response)) == "Due"


def test_staff_of_the_centre_above_may_confirm(client, world, deposit):
    payment = bank_transfer_record(
        instalment=deposit,
        actor=world.ningbo_broker,
        payer="宁波甬新材料科技有限公司",
        amount_fen=10_000_000,
        transferred_on=timezone.localdate(),
        bank_reference="BOC-DEP-0003",
        evidence=slip(),
    )
    sign_in(client, world.root_staff)
    post_from_page(client, deposit, f"/payments/deposits/{deposit.pk}/transfer/{payment.pk}/confirm/", {})
    deposit.refresh_from_db()
    assert deposit.status == InstalmentStatus.PAID


def test_staff_turn_down_an_announced_transfer_and_the_deposit_is_due_again(client, world, deposit):
    payment = bank_transfer_declare(
        instalment=deposit,
        actor=world.buyer,
        payer="宁波甬新材料科技有限公司",
        transferred_on=timezone.localdate(),
        evidence=slip(),
    )
    sign_in(client, world.ningbo_broker)
    response = post_from_page(
        client, deposit, f"/payments/deposits/{deposit.pk}/transfer/{payment.pk}/reject/", {"reason": "账户未收到"}
    )
    assert messages_on(response) == ["success: The transfer is turned down; the amount is due again."]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    sign_in(client, world.buyer)
    assert "I have transferred it" in read(client.get(page_of(deposit)))


def test_the_bidder_cannot_record_or_confirm_its_own_transfer(client, world, deposit):
    sign_in(client, world.buyer)
    response = client.post(
        f"/payments/deposits/{deposit.pk}/transfer/",
        {
            "instalment": deposit.pk,
            "payer": "宁波甬新材料科技有限公司",
            "amount_fen": "100000.00",
            "transferred_on": timezone.localdate().isoformat(),
            "bank_reference": "BOC-DEP-9999",
            "evidence": slip(),
        },
        follow=True,
    )
    assert "Only staff of the hosting operation centre handle bank transfers and refunds." in read(response)
    assert not Payment.objects.exists()


# --- Bad input ------------------------------------------------------------------------------------------------


def test_a_transfer_dated_in_the_future_is_refused_and_nothing_is_recorded(client, world, deposit):
    sign_in(client, world.buyer)
    response = announce(client, deposit, transferred_on=timezone.localdate() + timedelta(days=3))
    assert messages_on(response) == ["error: The transfer date cannot be in the future."]
    assert not Payment.objects.exists() and not BankTransfer.objects.exists()
    assert "I have transferred it" in read(response)


def test_an_announcement_without_its_slip_is_refused_and_nothing_is_recorded(client, world, deposit):
    sign_in(client, world.buyer)
    response = announce(client, deposit, evidence=None)
    assert messages_on(response) == ["error: Remittance slip (PDF or image): This field is required."]
    assert not Payment.objects.exists() and not BankTransfer.objects.exists()


def test_a_form_naming_another_instalment_changes_nothing(client, world, deposit):
    other = deposit_instalment_open(
        payer=world.enterprise, centre=world.ningbo, amount_fen=5_000_000, reference="auction-test-2", label="另一轮"
    )
    sign_in(client, world.buyer)
    data = {
        "instalment": other.pk,
        "payer": "x",
        "transferred_on": timezone.localdate().isoformat(),
        "evidence": slip(),
    }
    assert client.post(f"/payments/deposits/{deposit.pk}/transfer/announce/", data).status_code == 404
    assert not Payment.objects.exists()


# --- By card ----------------------------------------------------------------------------------------------------


def test_the_signatory_pays_the_deposit_by_card_through_the_gateway(client, world, deposit, stripe_server, card_token):
    sign_in(client, world.buyer)
    page = client.get(page_of(deposit)).content.decode()
    assert f'action="/payments/deposits/{deposit.pk}/card/"' in page and "card-payment.js" in page
    assert f'data-status-url="/payments/deposits/{deposit.pk}/status/"' in page
    response = client.post(
        f"/payments/deposits/{deposit.pk}/card/",
        {"instalment": deposit.pk, "token": card_token()},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["paid"] is True and answer["payment"]["status"] == PaymentStatus.SUCCEEDED
    payment = Payment.objects.get(instalment=deposit)
    assert payment.gateway_reference.startswith("pi_") and payment.amount_fen == 10_000_000
    # The page's script asks where it stands; the page itself shows it paid.
    status = client.get(f"/payments/deposits/{deposit.pk}/status/", headers={"accept": "application/json"})
    assert status.json()["paid"] is True
    assert status_on(read(client.get(page_of(deposit)))) == "Paid"


def test_a_plain_member_cannot_start_a_card_payment(client, world, deposit, clerk):
    sign_in(client, clerk)
    response = client.post(
        f"/payments/deposits/{deposit.pk}/card/",
        {"instalment": deposit.pk, "token": "tok_visa"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 422
    assert "may commit its money" in response.json()["message"]
    assert not Payment.objects.exists()


# --- The round it is for ----------------------------------------------------------------------------------------


def test_a_deposit_of_a_bidding_round_links_back_to_the_round(client, world, on_market):
    from auctions.services import deposit_register
    from tests.auctions.factories import round_opened

    round_ = round_opened(on_market, world.seller)
    registration = deposit_register(round_=round_, organisation=world.enterprise, actor=world.buyer)
    sign_in(client, world.buyer)
    page = client.get(page_of(registration.instalment)).content.decode()
    assert f'href="{round_.get_absolute_url()}"' in page


def test_a_deposit_transfer_awaiting_a_second_person_is_on_the_staff_attention_page_with_a_link(
    client, world, deposit, second_ningbo_broker
):
    bank_transfer_record(
        instalment=deposit,
        actor=world.ningbo_broker,
        payer=world.enterprise.name,
        amount_fen=deposit.amount_fen,
        transferred_on=timezone.localdate(),
        bank_reference="BOC-ATT-0001",
        evidence=SimpleUploadedFile("回单.pdf", RECEIPT, content_type="application/pdf"),
    )
    sign_in(client, second_ningbo_broker)
    page = client.get("/payments/attention/").content.decode()
    assert f'href="/payments/deposits/{deposit.pk}/"' in page
