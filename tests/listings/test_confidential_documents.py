# ruff: noqa: F811 - pytest fixtures (on_market) are parameters named like the imported fixture
"""Confidential documents behind the listing's NDA (issue 25, point 6), from the user's side: everyone sees that a
confidential document exists, but its content goes only to the seller, the hosting centre's staff and members of
an organisation that clicked through the listing's current NDA; the acceptance keeps version, organisation, time
and address, and the seller sees every acceptance and every download."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from listings.models import ConfidentialDownload, NdaAcceptance
from listings.nda import default_nda
from listings.services import listing_attach
from tests.deals.conftest import on_market  # noqa: F401 - the published listing fixture
from tests.factories import MembershipFactory, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%secret test data\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PUBLIC_PDF = b"%PDF-1.7\n%brochure\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def documents(world, on_market):
    secret = listing_attach(
        listing=on_market,
        actor=world.seller,
        upload=SimpleUploadedFile("中试试验数据.pdf", PDF),
        confidential=True,
    )
    brochure = listing_attach(
        listing=on_market, actor=world.seller, upload=SimpleUploadedFile("技术简介.pdf", PUBLIC_PDF)
    )
    return secret, brochure


def address(document) -> str:
    return f"/patents/{document.listing_id}/documents/{document.pk}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def accept(client, listing, organisation, *, sha=None, ip="203.0.113.7"):
    page = client.get(f"/patents/{listing.pk}/nda/")
    digest = sha or re.search(r'name="text_sha256" value="([0-9a-f]{64})"', page.content.decode()).group(1)
    return client.post(
        f"/patents/{listing.pk}/nda/",
        {"organisation": organisation.pk, "text_sha256": digest, "accept": "on"},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Mozilla/5.0 test",
    )


def test_a_visitor_sees_a_confidential_document_by_name_and_size_but_gets_no_link_and_no_file(
    client,
    world,
    on_market,
    documents,
):
    secret, brochure = documents
    page = client.get(on_market.get_absolute_url()).content.decode()

    assert "中试试验数据.pdf" in page and re.search("Confidential|保密", page)
    assert address(secret) not in page
    assert address(brochure) in page  # a document not marked confidential stays public
    response = client.get(address(secret))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ConfidentialDownload.objects.count() == 0
    public = client.get(address(brochure))
    assert public.status_code == 200 and body(public) == PUBLIC_PDF


def test_a_member_must_accept_the_nda_for_the_organisation_before_the_download(
    client,
    world,
    on_market,
    documents,
):
    secret, _ = documents
    sign_in(client, world.buyer)
    page = client.get(on_market.get_absolute_url()).content.decode()
    assert address(secret) not in page
    assert f"/patents/{on_market.pk}/nda/" in page

    refused = client.get(address(secret))
    assert refused.status_code == 403
    assert PDF not in refused.content
    assert "/nda/" in refused.content.decode()

    nda_page = client.get(f"/patents/{on_market.pk}/nda/").content.decode()
    assert "保密协议" in nda_page and world.enterprise.name in nda_page
    response = accept(client, on_market, world.enterprise)
    assert response.status_code == 302

    acceptance = NdaAcceptance.objects.get()
    assert acceptance.organisation == world.enterprise
    assert acceptance.user == world.buyer
    assert acceptance.version == default_nda().version
    assert acceptance.text_sha256 == default_nda().sha256
    assert acceptance.ip_address == "203.0.113.7"
    assert acceptance.user_agent == "Mozilla/5.0 test"
    assert "保密信息" in acceptance.text and "Confidential information" in acceptance.text

    assert address(secret) in client.get(on_market.get_absolute_url()).content.decode()
    download = client.get(address(secret), REMOTE_ADDR="203.0.113.8")
    assert download.status_code == 200 and body(download) == PDF
    logged = ConfidentialDownload.objects.get()
    assert (logged.user, logged.organisation, logged.acceptance) == (world.buyer, world.enterprise, acceptance)
    assert logged.ip_address == "203.0.113.8"


def test_acceptance_is_per_organisation_so_a_colleague_downloads_without_accepting_again(
    client,
    world,
    on_market,
    documents,
):
    secret, _ = documents
    sign_in(client, world.buyer)
    accept(client, on_market, world.enterprise)
    colleague = MembershipFactory(organisation=world.enterprise).user
    sign_in(client, colleague)
    assert client.get(address(secret)).status_code == 200
    page = client.get(f"/patents/{on_market.pk}/nda/").content.decode()
    assert world.enterprise.name in page and 'name="accept"' not in page  # the page says it is accepted already
    assert accept(client, on_market, world.enterprise, sha=default_nda().sha256).status_code == 302
    assert NdaAcceptance.objects.count() == 1  # a second click for the same organisation and text changes nothing
    # Another organisation's member is still refused.
    sign_in(client, world.outsider)
    assert client.get(address(secret)).status_code == 403


def test_the_seller_sees_each_acceptance_and_each_download_on_its_listing_page(
    client,
    world,
    on_market,
    documents,
):
    secret, _ = documents
    sign_in(client, world.buyer)
    accept(client, on_market, world.enterprise, ip="198.51.100.23")
    client.get(address(secret), REMOTE_ADDR="198.51.100.24")
    client.get(address(secret), REMOTE_ADDR="198.51.100.25")

    sign_in(client, world.seller)
    page = client.get(f"/patents/workspace/{on_market.pk}/").content.decode()
    assert world.enterprise.name in page
    assert "198.51.100.23" in page and "198.51.100.24" in page and "198.51.100.25" in page
    assert page.count("中试试验数据.pdf") >= 3  # in the document list and in both lines of the download log
    # Nobody outside the seller reads the log: the buyer has no workspace page for the listing.
    sign_in(client, world.buyer)
    assert client.get(f"/patents/workspace/{on_market.pk}/").status_code == 404


def test_a_changed_nda_text_needs_a_new_acceptance(client, world, on_market, documents):
    secret, _ = documents
    sign_in(client, world.buyer)
    accept(client, on_market, world.enterprise)
    assert client.get(address(secret)).status_code == 200

    sign_in(client, world.seller)
    response = client.post(
        f"/patents/workspace/{on_market.pk}/nda/", {"text": "本公司保密协议：仅用于评估，五年内不得披露。"}
    )
    assert response.status_code == 302

    sign_in(client, world.buyer)
    old_digest = default_nda().sha256
    assert client.get(address(secret)).status_code == 403
    # Accepting the text read before the change is refused with a reason, and records nothing.
    stale = accept(client, on_market, world.enterprise, sha=old_digest)
    assert stale.status_code == 200
    assert "changed while you were reading" in stale.content.decode() or "阅读期间" in stale.content.decode()
    assert NdaAcceptance.objects.count() == 1

    accept(client, on_market, world.enterprise)
    assert client.get(address(secret)).status_code == 200
    latest = NdaAcceptance.objects.order_by("-pk").first()
    assert latest.version == "v1" and "五年内不得披露" in latest.text
    assert NdaAcceptance.objects.count() == 2


def test_the_seller_and_the_hosting_centre_need_no_nda_but_their_downloads_are_logged(
    client,
    world,
    on_market,
    documents,
):
    secret, _ = documents
    for person in (world.seller, world.ningbo_broker, world.root_staff):
        sign_in(client, person)
        response = client.get(address(secret))
        assert response.status_code == 200, person
        assert body(response) == PDF
    assert NdaAcceptance.objects.count() == 0
    assert ConfidentialDownload.objects.count() == 3
    # Staff of another centre are members of the public here: they must accept like anyone (and have no organisation).
    sign_in(client, world.hangzhou_broker)
    assert client.get(address(secret)).status_code == 403


def test_a_signed_in_person_without_an_organisation_cannot_accept(client, world, on_market, documents):
    secret, _ = documents
    sign_in(client, world.stranger)
    page = client.get(f"/patents/{on_market.pk}/nda/")
    assert page.status_code == 200 and 'name="accept"' not in page.content.decode()
    assert accept(client, on_market, world.enterprise, sha=default_nda().sha256).status_code == 200
    assert NdaAcceptance.objects.count() == 0
    assert client.get(address(secret)).status_code == 403


def test_the_seller_marks_an_uploaded_document_confidential_and_public_again(
    client,
    world,
    on_market,
    documents,
):
    _, brochure = documents
    sign_in(client, world.seller)
    client.post(f"/patents/workspace/{on_market.pk}/attachments/{brochure.pk}/confidential/", {"confidential": "on"})
    brochure.refresh_from_db()
    assert brochure.confidential
    client.logout()
    assert client.get(address(brochure)).status_code == 302

    sign_in(client, world.seller)
    client.post(f"/patents/workspace/{on_market.pk}/attachments/{brochure.pk}/confidential/", {})
    brochure.refresh_from_db()
    assert not brochure.confidential
    client.logout()
    assert client.get(address(brochure)).status_code == 200
    # Nobody but the seller changes it.
    sign_in(client, world.buyer)
    toggle = client.post(
        f"/patents/workspace/{on_market.pk}/attachments/{brochure.pk}/confidential/", {"confidential": "on"}
    )
    assert toggle.status_code == 404
    brochure.refresh_from_db()
    assert not brochure.confidential


def test_the_seller_uploads_a_document_as_confidential(client, world, on_market):
    sign_in(client, world.seller)
    client.post(
        f"/patents/workspace/{on_market.pk}/attachments/",
        {"file": SimpleUploadedFile("报价单.pdf", PDF), "confidential": "on"},
    )
    document = on_market.attachments.get()
    assert document.confidential
    client.logout()
    assert address(document) not in client.get(on_market.get_absolute_url()).content.decode()


def test_a_member_finds_the_ndas_they_accepted_and_their_downloads_in_their_personal_data(
    client, world, on_market, documents
):
    secret, _ = documents
    sign_in(client, world.buyer)
    accept(client, on_market, world.enterprise, ip="203.0.113.9")
    client.get(address(secret), REMOTE_ADDR="203.0.113.10")

    exported = json.loads(client.get("/accounts/me/personal-data/").content)
    sections = {part["key"]: part["records"] for part in exported["sections"]}
    [acceptance] = sections["listings.nda_acceptances"]
    assert (acceptance["organisation"], acceptance["ip_address"]) == (world.enterprise.name, "203.0.113.9")
    [download] = sections["listings.confidential_downloads"]
    assert (download["file_name"], download["ip_address"]) == ("中试试验数据.pdf", "203.0.113.10")
