"""The buyer's other ways to pay and the platform's chasing: a card kept for later, automatic payment on the due
date, a transfer announced with its slip, and reminders of what is overdue."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from payments.models import CollectionAccount, InstalmentStatus, Payment, PaymentStatus, SavedCard
from payments.services import (
    bank_transfer_confirm,
    bank_transfer_declare,
    bank_transfer_record,
    bank_transfer_reject,
    bank_transfer_withdraw,
    card_payment_start,
    card_payment_submit,
    instalments_charge_automatically,
    overdue_reminders_send,
    transfer_reference,
)
from tests.deals.factories import deal_signed
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

SLIP = b"%PDF-1.7\n%slip\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DECLINING_CARD = "4000000000000341"  # attaches to a customer, declines every charge


def slip():
    return SimpleUploadedFile("汇款回单.pdf", SLIP, content_type="application/pdf")


@pytest.fixture
def instalment_deal(world, on_market):
    """A transfer of the patent for ¥30,000 in three monthly instalments, signed by both."""
    return deal_signed(world, on_market, "transfer", terms={"price_fen": 3_000_000, "instalments": 3})


def parts(deal):
    return list(deal.instalments.filter(kind="instalment").order_by("sequence"))


# --- A card kept for later -----------------------------------------------------------------------------------


def test_a_buyer_keeps_the_card_and_pays_the_next_instalment_in_one_click(
    client, world, instalment_deal, stripe_server, card_token
):
    first, second, _third = parts(instalment_deal)
    payment, started = card_payment_submit(instalment=first, actor=world.buyer, token=card_token(), save_card=True)
    assert started and payment.status == PaymentStatus.SUCCEEDED
    card = SavedCard.objects.get(organisation=world.enterprise)
    assert (card.brand, card.last4, card.auto_pay) == ("Visa", "4242", False)
    assert payment.saved_card == card

    sign_in(client, world.buyer)
    page = client.get(f"/payments/deals/{instalment_deal.pk}/").content.decode()
    assert "•••• 4242" in page
    answer = client.post(
        f"/payments/deals/{instalment_deal.pk}/card/",
        {"instalment": second.pk, "saved_card": card.pk},
        HTTP_ACCEPT="application/json",
    ).json()
    assert answer["paid"] and answer["message"] == "支付成功，谢谢。"
    second.refresh_from_db()
    assert second.status == InstalmentStatus.PAID


def test_another_organisations_card_cannot_be_used(client, world, instalment_deal, stripe_server, card_token):
    first = parts(instalment_deal)[0]
    card_payment_submit(instalment=first, actor=world.buyer, token=card_token(), save_card=True)
    card = SavedCard.objects.get()
    sign_in(client, world.outsider)
    response = client.post(
        f"/payments/deals/{instalment_deal.pk}/card/", {"instalment": first.pk, "saved_card": card.pk}
    )
    assert response.status_code == 404


def test_instalments_are_paid_automatically_on_their_due_date_once(world, instalment_deal, stripe_server, card_token):
    first, second, third = parts(instalment_deal)
    card_payment_submit(instalment=first, actor=world.buyer, token=card_token(), save_card=True, auto_pay=True)
    assert SavedCard.objects.get().auto_pay

    fee = instalment_deal.instalments.get(kind="service_fee")  # due with the first part
    assert instalments_charge_automatically(today=second.due_date - timedelta(days=1)) == 1
    fee.refresh_from_db()
    second.refresh_from_db()
    assert (fee.status, second.status) == (InstalmentStatus.PAID, InstalmentStatus.DUE)  # not before its day
    assert instalments_charge_automatically(today=second.due_date) == 1
    assert instalments_charge_automatically(today=second.due_date) == 0  # run twice: nothing more
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (InstalmentStatus.PAID, InstalmentStatus.DUE)
    assert second.payments.get().automatic


def test_a_declined_automatic_payment_is_mailed_to_the_buyer_and_not_tried_again_at_once(
    world, instalment_deal, stripe_server, card_token, mailoutbox
):
    first, second, _third = parts(instalment_deal)
    for paid_by_hand in (first, instalment_deal.instalments.get(kind="service_fee")):
        card_payment_submit(instalment=paid_by_hand, actor=world.buyer, token=card_token())
    from payments.services import saved_card_add

    saved_card_add(
        organisation_id=world.enterprise.pk, actor=world.buyer, token=card_token(DECLINING_CARD), auto_pay=True
    )
    assert instalments_charge_automatically(today=second.due_date) == 0
    assert second.payments.get().status == PaymentStatus.FAILED
    [notice] = mailoutbox
    assert notice.to == [world.buyer.email] and "自动扣款失败" in notice.subject
    assert f"/payments/deals/{instalment_deal.pk}/" in notice.body

    instalments_charge_automatically(today=second.due_date + timedelta(days=1))
    assert second.payments.count() == 1  # a declined card stays declined: no daily retries


# --- A transfer announced by the buyer -----------------------------------------------------------------------


def test_a_buyer_pays_by_transfer_and_two_staff_members_make_it_count(client, world, instalment_deal, stripe_server):
    first = parts(instalment_deal)[0]
    CollectionAccount.objects.create(
        centre=world.root,
        account_name="浙江省知识产权交易中心",
        bank_name="中国工商银行杭州分行",
        account_number="1202021109900123456",
    )
    sign_in(client, world.buyer)
    page = client.get(f"/payments/deals/{instalment_deal.pk}/").content.decode()
    assert "1202021109900123456" in page and transfer_reference(first) in page  # the root's account, inherited

    announced = bank_transfer_declare(
        instalment=first,
        actor=world.buyer,
        payer=world.enterprise.name,
        transferred_on=timezone.localdate(),
        evidence=slip(),
    )
    assert announced.status == PaymentStatus.DECLARED
    # While it is announced, a card payment starts nothing.
    under_way, started = card_payment_start(instalment=first, actor=world.buyer, token="tok_unused")
    assert (under_way.pk, started) == (announced.pk, False)

    recorded = bank_transfer_record(
        instalment=first,
        actor=world.ningbo_broker,
        payer=world.enterprise.name,
        amount_fen=first.amount_fen,
        transferred_on=timezone.localdate(),
        bank_reference="ICBC-20261206-0001",
    )
    assert recorded.pk == announced.pk and recorded.status == PaymentStatus.AWAITING_CONFIRMATION
    assert recorded.bank_transfer.evidence.name.endswith(".pdf")  # the buyer's slip is the evidence
    confirmed = bank_transfer_confirm(payment=recorded, actor=world.root_staff)  # four eyes: not the recorder
    assert confirmed.status == PaymentStatus.SUCCEEDED
    first.refresh_from_db()
    assert first.status == InstalmentStatus.PAID


def test_a_buyer_withdraws_an_announcement_and_staff_turn_down_one_that_never_arrived(world, instalment_deal):
    first, second, _ = parts(instalment_deal)
    announced = bank_transfer_declare(
        instalment=first, actor=world.buyer, payer="某公司", transferred_on=timezone.localdate(), evidence=slip()
    )
    assert bank_transfer_withdraw(payment=announced, actor=world.buyer).status == PaymentStatus.CANCELLED

    announced = bank_transfer_declare(
        instalment=second, actor=world.buyer, payer="某公司", transferred_on=timezone.localdate(), evidence=slip()
    )
    rejected = bank_transfer_reject(payment=announced, actor=world.ningbo_broker, reason="账户未收到该笔款项")
    assert rejected.status == PaymentStatus.FAILED and rejected.failure_message == "账户未收到该笔款项"
    second.refresh_from_db()
    assert second.status == InstalmentStatus.DUE  # due again: the buyer may pay another way


def test_more_than_the_amount_due_is_kept_as_surplus_only_when_the_broker_says_so(world, instalment_deal):
    first = parts(instalment_deal)[0]
    common = {
        "instalment": first,
        "actor": world.ningbo_broker,
        "payer": "某公司",
        "transferred_on": timezone.localdate(),
    }
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="多出部分"):
        bank_transfer_record(**common, amount_fen=first.amount_fen + 500, bank_reference="R-1", evidence=slip())
    payment = bank_transfer_record(
        **common, amount_fen=first.amount_fen + 500, bank_reference="R-1", evidence=slip(), accept_surplus=True
    )
    paid = bank_transfer_confirm(payment=payment, actor=world.root_staff)
    assert (paid.status, paid.surplus_fen, paid.applied_fen) == (PaymentStatus.SUCCEEDED, 500, first.amount_fen)


# --- Reminders -----------------------------------------------------------------------------------------------


def test_an_overdue_instalment_is_reminded_once_per_stage(world, instalment_deal, mailoutbox):
    first = parts(instalment_deal)[0]
    assert overdue_reminders_send(today=first.due_date) == 0  # due today is not overdue
    fee = instalment_deal.instalments.get(kind="service_fee")  # due the same day: one mail for both
    assert overdue_reminders_send(today=first.due_date + timedelta(days=1)) == 1
    assert overdue_reminders_send(today=first.due_date + timedelta(days=2)) == 0  # the same stage: once
    [reminder] = mailoutbox
    assert reminder.to == [world.buyer.email]
    assert "逾期" in reminder.subject and "10,300.00 元" in reminder.subject  # ¥10,000 and the 1 % fee on ¥30,000
    assert transfer_reference(first) in reminder.body and transfer_reference(fee) in reminder.body
    assert overdue_reminders_send(today=first.due_date + timedelta(days=7)) == 1
    assert len(mailoutbox) == 2


def test_a_paid_or_announced_instalment_is_not_chased(world, instalment_deal, stripe_server, card_token, mailoutbox):
    first = parts(instalment_deal)[0]
    bank_transfer_declare(
        instalment=first, actor=world.buyer, payer="某公司", transferred_on=timezone.localdate(), evidence=slip()
    )
    card_payment_start(
        instalment=instalment_deal.instalments.get(kind="service_fee"), actor=world.buyer, token=card_token()
    )
    assert overdue_reminders_send(today=first.due_date + timedelta(days=8)) == 0
    assert mailoutbox == []


# --- The brokers' list ---------------------------------------------------------------------------------------


def test_brokers_see_what_needs_them_and_nobody_else_does(client, world, instalment_deal):
    first = parts(instalment_deal)[0]
    bank_transfer_declare(
        instalment=first, actor=world.buyer, payer="某公司", transferred_on=timezone.localdate(), evidence=slip()
    )
    sign_in(client, world.ningbo_broker)
    page = client.get("/payments/attention/")
    assert page.status_code == 200 and transfer_reference(first) in page.content.decode()
    sign_in(client, world.buyer)
    assert client.get("/payments/attention/").status_code == 404
    assert Payment.objects.count() == 1


def test_the_buyer_hears_live_when_a_second_staff_member_confirms_the_transfer(
    world, instalment_deal, django_capture_on_commit_callbacks
):
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from marketplace.core.notifications import user_group

    first = parts(instalment_deal)[0]
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(world.buyer.pk), channel)
    announced = bank_transfer_declare(
        instalment=first, actor=world.buyer, payer="某公司", transferred_on=timezone.localdate(), evidence=slip()
    )
    recorded = bank_transfer_record(
        instalment=first,
        actor=world.ningbo_broker,
        payer="某公司",
        amount_fen=first.amount_fen,
        transferred_on=timezone.localdate(),
        bank_reference="ICBC-LIVE-1",
    )
    with django_capture_on_commit_callbacks(execute=True):
        bank_transfer_confirm(payment=recorded, actor=world.root_staff)
    [received] = [async_to_sync(layer.receive)(channel)["payload"]]  # the buyer's own announcement is not news
    assert received["url"] == f"/payments/deals/{instalment_deal.pk}/"
    assert "10,000.00" in received["message"] and announced.pk == recorded.pk


def test_automatic_payment_stops_when_the_person_who_opted_in_leaves_the_buyer(
    world, instalment_deal, stripe_server, card_token, mailoutbox
):
    from marketplace.organisations.models import MemberRole, Membership
    from tests.factories import MembershipFactory

    first, second, _third = parts(instalment_deal)
    colleague = MembershipFactory(organisation=world.enterprise, role=MemberRole.ADMIN).user
    card_payment_submit(instalment=first, actor=world.buyer, token=card_token(), save_card=True, auto_pay=True)
    Membership.objects.filter(user=world.buyer).delete()
    assert instalments_charge_automatically(today=second.due_date) == 0
    assert not SavedCard.objects.get().auto_pay  # no daily attempts (and mails) in a former member's name
    assert [mail.to for mail in mailoutbox] == [[colleague.email]]
