"""Bad input on the payments forms (issue #9): a malformed number, amount or date typed into the bank-transfer,
refund or royalty form, or a confirmation that makes no sense, is answered on the deal's payments page with an
error naming the field and the reason, never a server error, and it changes nothing: no payment, transfer,
refund, royalty report, instalment or ledger entry appears and no receipt file is stored.

Full-width digits (１０００, what a Chinese input method types in full-width mode) are the same number to the
person typing them and are read as such; a thousands separator, a currency sign or a full-width decimal point is
refused with "Enter a number" rather than guessed at."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from indicators.models import LedgerEntry
from payments.models import (
    BankTransfer,
    Instalment,
    InstalmentKind,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RoyaltyReport,
)
from payments.services import bank_transfer_record, card_payment_start
from tests.deals.factories import LICENCE_TERMS, deal_signed
from tests.factories import listing_on_market, sign_in
from tests.payments.factories import receipt

pytestmark = pytest.mark.django_db

UPFRONT_YUAN = "500000.00"  # LICENCE_TERMS' upfront fee of 50,000,000 fen

NOT_NUMBERS = ["abc", "1,000.00元", "¥500000", "500000.00元", "５０００００．００", "1 000", "", "NaN", "Infinity"]


# --- Helpers: what a person sees -----------------------------------------------------------------------------


def in_english(client, person):
    sign_in(client, person)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def page_of(deal) -> str:
    return f"/payments/deals/{deal.pk}/"


def messages_on(response) -> list[str]:
    """The flash messages the page shows, as the person reads them."""
    found = re.findall(r'<p class="message message-(\w+)">(.*?)</p>', response.content.decode(), flags=re.S)
    return [f"{kind}: {html.unescape(text).strip()}" for kind, text in found]


def post_form(client, deal, action: str, data: dict) -> list[str]:
    """Post a form the payments page shows and read the page it leads back to. Never a 500."""
    page = client.get(page_of(deal))
    assert page.status_code == 200
    assert f'action="{action}"' in page.content.decode(), f"the page shows no form posting to {action}"
    response = client.post(action, data, follow=True)
    assert response.status_code == 200, response.status_code
    assert response.redirect_chain and response.redirect_chain[-1][0] == page_of(deal)
    return messages_on(response)


def evidence_files(folder: str = "payments/evidence") -> list[str]:
    """Every receipt file stored, wherever the default storage keeps them."""
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for name in folders:
        found += evidence_files(f"{folder}/{name}")
    return sorted(found)


def state(deal) -> dict:
    """Everything a bad submission must leave as it was."""
    deal.refresh_from_db()
    return {
        "payments": list(Payment.objects.order_by("pk").values_list("pk", "status", "refunded_fen")),
        "transfers": list(BankTransfer.objects.order_by("pk").values_list("pk", "confirmed_by")),
        "refunds": Refund.objects.count(),
        "royalty_reports": RoyaltyReport.objects.count(),
        "instalments": list(Instalment.objects.order_by("pk").values_list("pk", "status", "amount_fen")),
        "ledger": LedgerEntry.objects.count(),
        "deal": deal.status,
        "evidence_files": evidence_files(),
    }


def assert_refused(messages: list[str], *fragments: str) -> None:
    errors = [message for message in messages if message.startswith("error: ")]
    assert errors, messages
    assert not [message for message in messages if message.startswith("success: ")], messages
    for fragment in fragments:
        assert any(fragment in message for message in errors), (fragment, messages)


# --- Deals to pay ----------------------------------------------------------------------------------------------


def another_listing(world):
    """A second listing of the university's on the market (the first is licensed exclusively)."""
    return listing_on_market(seller=world.university, seller_user=world.seller, broker=world.ningbo_broker)


@pytest.fixture
def royalty_deal(world, on_market):
    """A licence with an upfront fee, a 5 % royalty and a minimum of ¥12,000 a year, signed by both."""
    terms = {
        **LICENCE_TERMS,
        "payment_mode": "royalty",
        "royalty_rate": Decimal("5.00"),
        "minimum_annual_royalty_fen": 1_200_000,
    }
    return deal_signed(world, on_market, terms=terms)


@pytest.fixture
def upfront(signed_deal):
    return signed_deal.instalments.get(kind=InstalmentKind.UPFRONT)


# --- Recording a bank transfer -------------------------------------------------------------------------------


def transfer_form(due, **changes) -> dict:
    data = {
        "instalment": due.pk,
        "payer": "宁波甬新材料科技有限公司",
        "amount_fen": UPFRONT_YUAN,
        "transferred_on": timezone.localdate().isoformat(),
        "bank_reference": "ICBC-2026-0001",
        "evidence": receipt(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def record(client, deal, due, **changes) -> list[str]:
    return post_form(client, deal, f"/payments/deals/{deal.pk}/transfer/", transfer_form(due, **changes))


def test_a_correct_transfer_is_recorded_so_the_refusals_below_are_about_the_one_bad_field(
    client, world, signed_deal, upfront
):
    in_english(client, world.ningbo_broker)
    files_before = len(evidence_files())
    messages = record(client, signed_deal, upfront)
    assert messages == ["success: Transfer recorded. A second staff member must confirm it before it counts."]
    payment = Payment.objects.get(method=PaymentMethod.BANK_TRANSFER)
    assert payment.amount_fen == 50_000_000 and payment.status == PaymentStatus.AWAITING_CONFIRMATION
    assert len(evidence_files()) == files_before + 1  # where a refused transfer must store nothing


@pytest.mark.parametrize("amount", NOT_NUMBERS)
def test_a_transfer_amount_that_is_not_a_number_is_refused(client, world, signed_deal, upfront, amount):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    messages = record(client, signed_deal, upfront, amount_fen=amount)
    reason = "This field is required." if amount == "" else "Enter a number."
    assert_refused(messages, f"Amount (yuan): {reason}")
    assert state(signed_deal) == before


def test_in_chinese_the_error_names_the_field_as_the_form_labels_it(client, world, signed_deal, upfront):
    sign_in(client, world.ningbo_broker)  # the site's default language
    before = state(signed_deal)
    messages = record(client, signed_deal, upfront, amount_fen="1,000.00元")
    assert_refused(messages, "金额（元）：")
    assert state(signed_deal) == before


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("-500000.00", "greater than or equal to 0"),
        ("500000.001", "no more than 2 decimal places"),
        ("500000.0001", "no more than 2 decimal places"),
        ("100000000000.01", "less than or equal to 100000000000"),
        ("92233720368547758.08", "no more than 14 digits"),  # one fen beyond a BigInteger
        ("1" + "0" * 40, "no more than 14 digits"),
        ("1e400", "no more than 14 digits"),
    ],
)
def test_a_negative_over_precise_or_absurd_transfer_amount_is_refused_by_the_form(
    client, world, signed_deal, upfront, amount, reason
):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    assert_refused(record(client, signed_deal, upfront, amount_fen=amount), "Amount (yuan):", reason)
    assert state(signed_deal) == before


@pytest.mark.parametrize("amount", ["0", "0.00", "-0", "499999.99", "500000.01", "99999999999.99"])
def test_a_transfer_that_is_not_the_amount_due_is_refused(client, world, signed_deal, upfront, amount):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    messages = record(client, signed_deal, upfront, amount_fen=amount)
    assert_refused(messages, "The transfer must match the amount due (500,000.00 yuan).")
    assert state(signed_deal) == before


def test_a_transfer_amount_in_full_width_digits_is_read_as_the_same_number(client, world, signed_deal, upfront):
    in_english(client, world.ningbo_broker)
    messages = record(client, signed_deal, upfront, amount_fen="５０００００")
    assert messages == ["success: Transfer recorded. A second staff member must confirm it before it counts."]
    assert Payment.objects.get(method=PaymentMethod.BANK_TRANSFER).amount_fen == 50_000_000


@pytest.mark.parametrize(
    "day", ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "0000-01-01", "30/02/2026", "yesterday", ""]
)
def test_an_impossible_transfer_date_is_refused(client, world, signed_deal, upfront, day):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    reason = "This field is required." if day == "" else "Enter a valid date."
    assert_refused(record(client, signed_deal, upfront, transferred_on=day), f"Transfer date: {reason}")
    assert state(signed_deal) == before


@pytest.mark.parametrize("days_ahead", [1, 365, None])
def test_a_transfer_date_in_the_future_is_refused(client, world, signed_deal, upfront, days_ahead):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    day = "9999-12-31" if days_ahead is None else (timezone.localdate() + timedelta(days=days_ahead)).isoformat()
    messages = record(client, signed_deal, upfront, transferred_on=day)
    assert_refused(messages, "The transfer date cannot be in the future.")
    assert state(signed_deal) == before


@pytest.mark.parametrize(
    ("evidence", "reason"),
    [
        # Unless the buyer announced the transfer with its slip, the receipt is required.
        (None, "Attach the bank's receipt (PDF or image, at most 10 MB)."),
        ("", "Attach the bank's receipt (PDF or image, at most 10 MB)."),  # a file input left empty
        (receipt(content=b""), "Evidence (bank receipt, PDF or image): The submitted file is empty."),
        (receipt("receipt.txt", b"I paid, honestly"), "“receipt.txt” is not a PDF, PNG, JPEG or WebP file"),
    ],
    ids=["missing", "blank", "empty-file", "not-a-pdf-or-image"],
)
def test_a_transfer_without_usable_evidence_is_refused(client, world, signed_deal, upfront, evidence, reason):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    assert_refused(record(client, signed_deal, upfront, evidence=evidence), reason)
    assert state(signed_deal) == before


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("payer", "   ", "Payer (account name): This field is required."),
        ("payer", "x" * 201, "Payer (account name): Ensure this value has at most 200 characters"),
        ("bank_reference", "", "Bank reference: This field is required."),
        ("bank_reference", "R" * 101, "Bank reference: Ensure this value has at most 100 characters"),
    ],
)
def test_a_transfer_without_payer_or_reference_is_refused(client, world, signed_deal, upfront, field, value, reason):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    assert_refused(record(client, signed_deal, upfront, **{field: value}), reason)
    assert state(signed_deal) == before


@pytest.mark.parametrize("instalment", ["abc", "１x", "", "-1", "1.5", "99999999999999999999"])
def test_a_tampered_instalment_is_refused_or_not_found(client, world, signed_deal, upfront, instalment):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    data = transfer_form(upfront, instalment=instalment)
    response = client.post(f"/payments/deals/{signed_deal.pk}/transfer/", data, follow=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert_refused(messages_on(response), "Item: ")
    assert state(signed_deal) == before


# --- Confirming a bank transfer ------------------------------------------------------------------------------


@pytest.fixture
def recorded(world, upfront):
    return bank_transfer_record(
        instalment=upfront,
        actor=world.ningbo_broker,
        payer="宁波甬新材料科技有限公司",
        amount_fen=upfront.amount_fen,
        transferred_on=timezone.localdate(),
        bank_reference="ICBC-2026-0002",
        evidence=receipt(),
    )


def confirm_action(deal, payment_pk) -> str:
    return f"/payments/deals/{deal.pk}/transfer/{payment_pk}/confirm/"


def test_the_staff_member_who_recorded_a_transfer_cannot_confirm_it(client, world, signed_deal, recorded):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    messages = post_form(client, signed_deal, confirm_action(signed_deal, recorded.pk), {})
    assert_refused(messages, "A second staff member must confirm a transfer; you recorded this one.")
    assert state(signed_deal) == before


def test_a_transfer_is_confirmed_once(client, world, signed_deal, recorded):
    in_english(client, world.root_staff)
    assert post_form(client, signed_deal, confirm_action(signed_deal, recorded.pk), {}) == [
        "success: Transfer confirmed."
    ]
    before = state(signed_deal)
    response = client.post(confirm_action(signed_deal, recorded.pk), follow=True)
    assert response.status_code == 200
    assert_refused(messages_on(response), "This transfer is not awaiting confirmation.")
    assert state(signed_deal) == before


def test_confirming_a_card_payment_as_a_transfer_finds_nothing(
    client, world, signed_deal, upfront, stripe_server, card_token
):
    card, _started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    in_english(client, world.root_staff)
    before = state(signed_deal)
    response = client.post(confirm_action(signed_deal, card.pk))
    assert response.status_code == 404
    assert state(signed_deal) == before


def test_confirming_a_transfer_that_does_not_exist_or_belongs_to_another_deal_finds_nothing(
    client, world, signed_deal, recorded
):
    other = deal_signed(world, another_listing(world))
    in_english(client, world.root_staff)
    before = state(signed_deal)
    assert client.post(confirm_action(other, recorded.pk)).status_code == 404
    assert client.post(confirm_action(signed_deal, recorded.pk + 1000)).status_code == 404
    assert client.post(f"/payments/deals/{signed_deal.pk}/transfer/abc/confirm/").status_code == 404
    assert client.get(confirm_action(signed_deal, recorded.pk)).status_code == 405
    assert state(signed_deal) == before


# --- Refunds ---------------------------------------------------------------------------------------------------


@pytest.fixture
def paid(world, upfront, stripe_server, card_token):
    """The upfront fee paid by card through localstripe: ¥500,000.00 to refund."""
    payment, _started = card_payment_start(instalment=upfront, actor=world.buyer, token=card_token())
    assert payment.status == PaymentStatus.SUCCEEDED
    return payment


def refund(client, deal, payment, amount, reason="合同解除") -> list[str]:
    data = {"payment": payment.pk, "amount_fen": amount, "reason": reason}
    return post_form(client, deal, f"/payments/deals/{deal.pk}/refund/", data)


@pytest.mark.parametrize("amount", NOT_NUMBERS)
def test_a_refund_amount_that_is_not_a_number_is_refused(client, world, signed_deal, paid, amount):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    reason = "This field is required." if amount == "" else "Enter a number."
    assert_refused(refund(client, signed_deal, paid, amount), f"Refund amount (yuan): {reason}")
    assert state(signed_deal) == before


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("-1", "Refund amount (yuan): Ensure this value is greater than or equal to 0"),
        ("100.001", "Refund amount (yuan): Ensure that there are no more than 2 decimal places."),
        ("92233720368547758.08", "Refund amount (yuan): Ensure that there are no more than 14 digits"),
        ("0", "The refund must be between 0.01 and 500,000.00 yuan"),
        ("0.00", "The refund must be between 0.01 and 500,000.00 yuan"),
        ("500000.01", "The refund must be between 0.01 and 500,000.00 yuan"),
        ("99999999999.99", "The refund must be between 0.01 and 500,000.00 yuan"),
    ],
)
def test_a_refund_of_nothing_or_more_than_was_paid_is_refused(client, world, signed_deal, paid, amount, reason):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    assert_refused(refund(client, signed_deal, paid, amount), reason)
    assert state(signed_deal) == before


def test_a_second_refund_cannot_exceed_what_is_left(client, world, signed_deal, paid):
    in_english(client, world.ningbo_broker)
    assert refund(client, signed_deal, paid, "400000") == ["success: Refund issued."]
    before = state(signed_deal)
    messages = refund(client, signed_deal, paid, "100000.01")
    assert_refused(messages, "The refund must be between 0.01 and 100,000.00 yuan")
    assert state(signed_deal) == before


def test_a_refund_without_a_reason_is_refused(client, world, signed_deal, paid):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    assert_refused(refund(client, signed_deal, paid, "100", reason="   "), "Reason: This field is required.")
    assert state(signed_deal) == before


def test_a_refund_in_full_width_digits_is_read_as_the_same_number(client, world, signed_deal, paid):
    in_english(client, world.ningbo_broker)
    assert refund(client, signed_deal, paid, "１０００") == ["success: Refund issued."]
    paid.refresh_from_db()
    assert paid.refunded_fen == 100_000
    assert Refund.objects.get().amount_fen == 100_000


@pytest.mark.parametrize("payment", ["abc", "", "１x", "99999999999999999999"])
def test_a_tampered_refund_target_is_refused_or_not_found(client, world, signed_deal, paid, payment):
    in_english(client, world.ningbo_broker)
    before = state(signed_deal)
    data = {"payment": payment, "amount_fen": "100", "reason": "合同解除"}
    response = client.post(f"/payments/deals/{signed_deal.pk}/refund/", data, follow=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert_refused(messages_on(response), "Payment: ")
    assert state(signed_deal) == before


# --- Royalty reports -------------------------------------------------------------------------------------------


def report(client, deal, **changes) -> list[str]:
    data = {"period_start": "2025-01-01", "period_end": "2025-03-31", "sales_fen": "1000000"}
    data.update(changes)
    return post_form(client, deal, f"/payments/deals/{deal.pk}/royalty/", data)


def test_a_correct_report_makes_the_royalty_due_so_the_refusals_below_are_about_the_one_bad_field(
    client, world, royalty_deal
):
    in_english(client, world.buyer)
    assert report(client, royalty_deal) == ["success: Sales reported; the royalty is now due."]
    royalty = royalty_deal.instalments.get(kind=InstalmentKind.ROYALTY)
    assert royalty.amount_fen == 5_000_000  # 5 % of ¥1,000,000 is above a quarter of the ¥12,000 minimum


@pytest.mark.parametrize("sales", NOT_NUMBERS)
def test_sales_that_are_not_a_number_are_refused(client, world, royalty_deal, sales):
    in_english(client, world.buyer)
    before = state(royalty_deal)
    reason = "This field is required." if sales == "" else "Enter a number."
    assert_refused(report(client, royalty_deal, sales_fen=sales), f"Sales in the period (yuan): {reason}")
    assert state(royalty_deal) == before


@pytest.mark.parametrize(
    ("sales", "reason"),
    [
        ("-0.01", "greater than or equal to 0"),
        ("1000000.001", "no more than 2 decimal places"),
        ("100000000000.01", "less than or equal to 100000000000"),
        ("92233720368547758.08", "no more than 14 digits"),
    ],
)
def test_negative_over_precise_or_absurd_sales_are_refused(client, world, royalty_deal, sales, reason):
    in_english(client, world.buyer)
    before = state(royalty_deal)
    assert_refused(report(client, royalty_deal, sales_fen=sales), "Sales in the period (yuan):", reason)
    assert state(royalty_deal) == before


def test_sales_in_full_width_digits_are_read_as_the_same_number(client, world, royalty_deal):
    in_english(client, world.buyer)
    assert report(client, royalty_deal, sales_fen="１００００００") == [
        "success: Sales reported; the royalty is now due."
    ]
    assert RoyaltyReport.objects.get().sales_fen == 100_000_000


@pytest.mark.parametrize("field", ["period_start", "period_end"])
@pytest.mark.parametrize("day", ["2026-02-30", "2025-04-31", "2025-13-01", "31/03/2025", "abc", ""])
def test_an_impossible_period_date_is_refused(client, world, royalty_deal, field, day):
    in_english(client, world.buyer)
    before = state(royalty_deal)
    label = {"period_start": "Period start", "period_end": "Period end"}[field]
    reason = "This field is required." if day == "" else "Enter a valid date."
    assert_refused(report(client, royalty_deal, **{field: day}), f"{label}: {reason}")
    assert state(royalty_deal) == before


def test_a_period_that_ends_before_it_starts_is_refused(client, world, royalty_deal):
    in_english(client, world.buyer)
    before = state(royalty_deal)
    messages = report(client, royalty_deal, period_start="2025-03-31", period_end="2025-01-01")
    assert_refused(messages, "The period ends before it starts.")
    assert state(royalty_deal) == before


@pytest.mark.parametrize("period_end", ["tomorrow", "9999-12-31"])
def test_a_period_that_has_not_ended_is_refused(client, world, royalty_deal, period_end):
    if period_end == "tomorrow":
        period_end = (timezone.localdate() + timedelta(days=1)).isoformat()
    in_english(client, world.buyer)
    before = state(royalty_deal)
    messages = report(client, royalty_deal, period_start="2025-01-01", period_end=period_end)
    assert_refused(messages, "The period has not ended yet")
    assert state(royalty_deal) == before


def test_a_period_is_reported_once(client, world, royalty_deal):
    in_english(client, world.buyer)
    report(client, royalty_deal)
    before = state(royalty_deal)
    assert_refused(report(client, royalty_deal, sales_fen="5"), "Sales for this period have already been reported.")
    assert state(royalty_deal) == before
