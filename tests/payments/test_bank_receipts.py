"""The receipt behind a bank transfer: the deal's buyer and seller and the staff who may see the deal open it from
the payments page (the second staff member checks it before confirming); anyone else gets a 404, and the file is
never served from the guessable path it is stored under."""

import re

import pytest

from deals.services.negotiations import express_licence_take
from tests.deals.factories import sign_contract
from tests.factories import sign_in, signatory_member
from tests.payments.factories import RECEIPT, transfer_recorded

pytestmark = pytest.mark.django_db


def signed_deal(world, listing, buyer_user, buyer):
    """An ordinary licence taken on the listing's standard terms, signed by both."""
    deal = express_licence_take(listing=listing, actor=buyer_user, buyer=buyer)
    return sign_contract(world, deal, buyer_user=buyer_user)


@pytest.fixture
def deal(world, on_market):
    return signed_deal(world, on_market, world.buyer, world.enterprise)


@pytest.fixture
def payment(deal, world):
    return transfer_recorded(deal, world.ningbo_broker, "ICBC-0001")


def receipt_links(page) -> list[str]:
    return re.findall(r'<a href="([^"]+)">Bank receipt</a>', page.content.decode())


def test_the_deals_people_open_the_receipt_from_the_payments_page(client, world, deal, payment):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for person in (world.buyer, world.seller, world.ningbo_broker, world.root_staff):
        sign_in(client, person)
        links = receipt_links(client.get(f"/payments/deals/{deal.pk}/"))
        assert links, person
        assert all("/media/" not in link for link in links)

        response = client.get(links[0])

        assert response.status_code == 200, person
        assert b"".join(response.streaming_content) == RECEIPT
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment; ")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


def test_the_second_staff_member_finds_the_receipt_beside_the_transfer_to_confirm(client, world, deal, payment):
    sign_in(client, world.root_staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/payments/deals/{deal.pk}/").content.decode()
    awaiting = page[page.index("Bank transfers awaiting confirmation") :]
    assert f"/payments/deals/{deal.pk}/transfer/{payment.pk}/evidence/" in awaiting


def test_people_outside_the_deal_get_not_found(client, world, deal, payment):
    address = f"/payments/deals/{deal.pk}/transfer/{payment.pk}/evidence/"
    for person in (world.outsider, world.hangzhou_broker, world.stranger):
        sign_in(client, person)
        response = client.get(address)
        assert response.status_code == 404, person
        assert RECEIPT not in response.content
    client.logout()
    assert client.get(address)["Location"].startswith("/accounts/login/")


def test_a_receipt_is_not_found_under_another_deal_its_reader_may_see(client, world, on_market, deal, payment):
    taker = signatory_member(world.other_enterprise)
    other_deal = signed_deal(world, on_market, taker, world.other_enterprise)
    sign_in(client, taker)
    assert client.get(f"/payments/deals/{other_deal.pk}/").status_code == 200
    assert client.get(f"/payments/deals/{other_deal.pk}/transfer/{payment.pk}/evidence/").status_code == 404


def test_the_receipt_is_not_served_from_where_it_is_stored(client, world, payment):
    sign_in(client, world.buyer)
    response = client.get(f"/media/{payment.bank_transfer.evidence.name}")
    assert response.status_code == 404
    assert RECEIPT not in response.content
