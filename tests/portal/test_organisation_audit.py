"""An organisation's audit trail: who did what with its money and signatures, with the person, the time and the
amount in yuan, newest first, a page at a time and as CSV; for its administrators and signatories and the staff of
its operation centre, nobody else."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from marketplace.organisations.services import signatory_nominate, signatory_revoke, signatory_verify
from payments.services import bank_transfer_confirm, bank_transfer_declare, bank_transfer_record
from tests.deals.conftest import on_market  # noqa: F401 - the published listing fixture
from tests.deals.factories import deal_signed
from tests.factories import AUTHORISATION_LETTER, MembershipFactory, UserFactory, sign_in
from tests.payments.factories import RECEIPT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def letter() -> SimpleUploadedFile:
    return SimpleUploadedFile("授权委托书.pdf", AUTHORISATION_LETTER, content_type="application/pdf")


@pytest.fixture
def clerk(world):
    return MembershipFactory(organisation=world.enterprise, user=UserFactory(display_name="出纳 孙丽")).user


@pytest.fixture
def history(world, on_market, clerk):  # noqa: F811
    """The enterprise names the clerk a signatory (verified by Ningbo's broker), takes an exclusive licence of
    ¥500,000, signs it, and pays the fee by a transfer that Ningbo's broker records and root staff confirm."""
    signatory = signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
    )
    signatory_verify(signatory=signatory, actor=world.ningbo_broker)
    deal = deal_signed(world, on_market)
    upfront = deal.instalments.get(kind="upfront")
    announced = bank_transfer_declare(
        instalment=upfront,
        actor=clerk,
        payer=world.enterprise.name,
        transferred_on=timezone.localdate(),
        evidence=SimpleUploadedFile("回单.pdf", RECEIPT, content_type="application/pdf"),
    )
    bank_transfer_record(
        instalment=upfront,
        actor=world.ningbo_broker,
        payer=world.enterprise.name,
        amount_fen=upfront.amount_fen,
        transferred_on=timezone.localdate(),
        bank_reference="ICBC-2026-0001",
    )
    bank_transfer_confirm(payment=announced, actor=world.root_staff)
    return deal


def rows_of(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(row.split()) for row in body.split("<tr")[1:]]


def row_with(rows: list[str], *parts: str) -> str:
    found = [row for row in rows if all(part in row for part in parts)]
    assert found, f"no row with {parts} in:\n" + "\n".join(rows)
    return found[0]


def test_the_trail_shows_signatures_acceptances_and_money_with_person_and_amount(client, world, history, clerk):
    sign_in(client, world.buyer)
    page = client.get(f"/organisations/{world.enterprise.pk}/audit/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    rows = rows_of(page.content.decode())
    row_with(rows, "Signatory nominated", str(world.buyer), str(clerk))
    row_with(rows, "Signatory verified", str(world.ningbo_broker), str(clerk))
    row_with(rows, "Terms accepted", str(world.buyer), f"Deal #{history.pk}", "¥500,000")
    row_with(rows, "Contract signed for the organisation", str(world.buyer), f"Deal #{history.pk}")
    row_with(rows, "Bank transfer announced", str(clerk), "¥500,000")
    row_with(rows, "Bank transfer recorded by a broker", str(world.ningbo_broker), "ICBC-2026-0001")
    row_with(rows, "Payment received", str(world.root_staff), "¥500,000")
    times = [re.search(r'datetime="([^"]+)"', row).group(1) for row in rows]
    assert times == sorted(times, reverse=True)  # newest first


def test_each_side_sees_its_own_signature(client, world, history):
    sign_in(client, world.seller)
    rows = rows_of(client.get(f"/organisations/{world.university.pk}/audit/").content.decode())
    row_with(rows, "Contract signed for the organisation", str(world.seller), f"Deal #{history.pk}")
    assert not any("Signatory verified" in row for row in rows)  # the enterprise's, not the university's


def test_who_may_open_an_organisations_trail(client, world, history, clerk):
    url = f"/organisations/{world.enterprise.pk}/audit/"
    plain_member = MembershipFactory(organisation=world.enterprise).user
    expected = {
        world.buyer: 200,  # administrator and signatory
        clerk: 200,  # signatory
        world.alliance_broker: 200,  # the enterprise's own centre
        world.ningbo_broker: 200,  # the centre above it
        world.root_staff: 200,
        plain_member: 403,
        world.seller: 403,  # the counterparty
        world.outsider: 403,
        world.hangzhou_broker: 403,  # another centre
    }
    for person, status in expected.items():
        sign_in(client, person)
        assert client.get(url).status_code == status, person
        assert client.get(url.replace("audit/", "audit.csv")).status_code == status, person
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_the_organisations_page_links_the_trail_for_those_who_may_see_it(client, world, clerk):
    sign_in(client, world.buyer)
    assert "/audit/" in client.get(f"/organisations/{world.enterprise.pk}/").content.decode()
    sign_in(client, MembershipFactory(organisation=world.enterprise).user)
    assert "/audit/" not in client.get(f"/organisations/{world.enterprise.pk}/").content.decode()


def test_the_trail_is_paginated(client, world, clerk):
    for _round in range(30):  # 60 rows: a nomination and a revocation each time
        signatory = signatory_nominate(
            organisation=world.enterprise, actor=world.buyer, user=clerk, capacity="authorised", letter=letter()
        )
        signatory_revoke(signatory=signatory, actor=world.buyer)
    sign_in(client, world.buyer)
    first = client.get(f"/organisations/{world.enterprise.pk}/audit/").content.decode()
    assert "60 in all · page 1 of 2" in first and len(rows_of(first)) == 50
    second = client.get(f"/organisations/{world.enterprise.pk}/audit/?page=2").content.decode()
    assert len(rows_of(second)) == 10
    assert "Signatory nominated" in rows_of(second)[-1]  # the oldest row comes last


def test_the_trail_downloads_as_csv_with_amounts_in_yuan(client, world, history, clerk):
    sign_in(client, world.alliance_broker)
    response = client.get(f"/organisations/{world.enterprise.pk}/audit.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Time", "Person", "Action", "Subject", "Amount (yuan)", "Note"]
    announced = next(row for row in rows if row[2] == "Bank transfer announced")
    assert announced[1] == str(clerk) and announced[4] == "500000.00"
    page = client.get(f"/organisations/{world.enterprise.pk}/audit/").content.decode()
    assert len(rows) - 1 == len(rows_of(page))  # every row of the trail, as on the page
