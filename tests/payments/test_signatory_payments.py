"""Only a verified signatory of the buyer commits its money: starting a card payment, announcing a bank transfer,
reporting the sales that make royalties due, keeping a card for automatic payment. Its other members see what is
due and whom to ask; staff's own bank-transfer confirmation stays staff's."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from marketplace.organisations.models import Signatory
from marketplace.organisations.selectors import SignatoryRequired
from marketplace.organisations.services import signatory_revoke
from payments.models import Payment, PaymentStatus, RoyaltyReport, SavedCard
from payments.services import bank_transfer_declare, instalments_charge_automatically, royalty_report_submit
from tests.deals.factories import LICENCE_TERMS, deal_signed
from tests.factories import MembershipFactory, UserFactory, sign_in
from tests.payments.factories import RECEIPT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def clerk(world):
    return MembershipFactory(organisation=world.enterprise, user=UserFactory(display_name="出纳 孙丽")).user


def slip() -> SimpleUploadedFile:
    return SimpleUploadedFile("回单.pdf", RECEIPT, content_type="application/pdf")


def test_a_plain_member_sees_what_is_due_and_whom_to_ask_but_no_way_to_pay(client, world, signed_deal, clerk):
    sign_in(client, clerk)
    page = client.get(f"/payments/deals/{signed_deal.pk}/").content.decode()
    assert "You are not a signatory: you see what is due, but you cannot pay for your organisation." in page
    assert f"Ask {world.buyer}." in page
    assert "I have transferred it" not in page and "Pay by card" not in page
    sign_in(client, world.buyer)
    page = client.get(f"/payments/deals/{signed_deal.pk}/").content.decode()
    assert "You are not a signatory" not in page and "I have transferred it" in page and "Pay by card" in page


def test_a_plain_member_cannot_announce_a_transfer(client, world, signed_deal, clerk):
    instalment = signed_deal.instalments.order_by("pk").first()
    sign_in(client, clerk)
    data = {
        "instalment": instalment.pk,
        "payer": world.enterprise.name,
        "transferred_on": timezone.localdate().isoformat(),
        "evidence": slip(),
    }
    page = client.post(f"/payments/deals/{signed_deal.pk}/transfer/announce/", data, follow=True).content.decode()
    assert "Only a verified signatory of 宁波甬新材料科技有限公司 may commit its money." in page
    assert not Payment.objects.exists()
    # The signatory may.
    payment = bank_transfer_declare(
        instalment=instalment,
        actor=world.buyer,
        payer=world.enterprise.name,
        transferred_on=timezone.localdate(),
        evidence=slip(),
    )
    assert payment.status == PaymentStatus.DECLARED


def test_a_plain_member_cannot_start_a_card_payment(client, world, signed_deal, clerk):
    instalment = signed_deal.instalments.order_by("pk").first()
    sign_in(client, clerk)
    response = client.post(
        f"/payments/deals/{signed_deal.pk}/card/",
        {"instalment": instalment.pk, "token": "tok_visa"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 422
    assert "may commit its money" in response.json()["message"]
    assert not Payment.objects.exists()


def test_only_a_signatory_reports_the_sales_that_make_royalties_due(client, world, on_market, clerk):
    deal = deal_signed(
        world, on_market, terms={**LICENCE_TERMS, "payment_mode": "royalty", "royalty_rate": Decimal("5.00")}
    )
    period = {"period_start": timezone.localdate() - timedelta(days=90), "period_end": timezone.localdate()}
    with pytest.raises(SignatoryRequired):
        royalty_report_submit(deal=deal, actor=clerk, sales_fen=10_000_000, **period)
    sign_in(client, clerk)
    data = {key: value.isoformat() for key, value in period.items()} | {"sales_fen": "100000"}
    page = client.post(f"/payments/deals/{deal.pk}/royalty/", data, follow=True).content.decode()
    assert "may commit its money" in page
    assert not RoyaltyReport.objects.exists()
    assert royalty_report_submit(deal=deal, actor=world.buyer, sales_fen=10_000_000, **period).royalty_fen == 500_000


def test_automatic_payment_stops_once_the_signatory_who_asked_for_it_is_revoked(world, signed_deal):
    card = SavedCard.objects.create(
        organisation=world.enterprise,
        gateway="stripe",
        customer_reference="cus_1",
        payment_method_reference="pm_1",
        brand="visa",
        last4="4242",
        auto_pay=True,
        created_by=world.buyer,
    )
    signatory_revoke(signatory=Signatory.objects.get(user=world.buyer), actor=world.buyer, reason="离职")
    started = instalments_charge_automatically(today=timezone.localdate() + timedelta(days=365))
    card.refresh_from_db()
    assert started == 0 and not Payment.objects.exists() and card.auto_pay is False


def test_a_plain_member_cannot_turn_automatic_payment_on(client, world, signed_deal, clerk):
    card = SavedCard.objects.create(
        organisation=world.enterprise,
        gateway="stripe",
        customer_reference="cus_1",
        payment_method_reference="pm_1",
        brand="visa",
        last4="4242",
        created_by=world.buyer,
    )
    sign_in(client, clerk)
    page = client.post(
        f"/payments/deals/{signed_deal.pk}/cards/{card.pk}/auto-pay/", {"auto_pay": "on"}, follow=True
    ).content.decode()
    assert "may commit its money" in page
    card.refresh_from_db()
    assert card.auto_pay is False
