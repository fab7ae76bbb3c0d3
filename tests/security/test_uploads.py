"""Uploads are judged by their content, never by their name or the browser's claim; their size and number are
bounded; and a file is stored under the extension of what it is, so it is never served as something else."""

import asyncio
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from listings.models import Listing
from listings.services import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, listing_attach
from tests.factories import ListingFactory
from tests.security.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 this program cannot be run in DOS mode"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
ZIP = b"PK\x03\x04\x14\x00\x00\x00 not really a workbook"
# Starts like a PDF, carries a page: accepted as the PDF it claims to be, but must never be stored as .html.
POLYGLOT = b"%PDF-1.4\n<html><script>alert(1)</script></html>"

DISGUISED = [
    ("report.pdf", HTML, "application/pdf"),
    ("report.pdf", EXE, "application/pdf"),
    ("photo.png", SVG, "image/png"),
    ("photo.jpg", b"GIF89a" + HTML, "image/jpeg"),
    ("report.pdf", ZIP, "application/pdf"),
    ("report.pdf", b"", "application/pdf"),
]


@pytest.fixture
def draft(world) -> Listing:
    return ListingFactory(seller=world.university, created_by=world.seller)


def upload_attachment(client, listing: Listing, *files: SimpleUploadedFile):
    return client.post(f"/patents/workspace/{listing.pk}/attachments/", {"file": list(files)})


# --- Listing attachments -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "claimed"), DISGUISED)
def test_a_disguised_attachment_is_refused_whatever_its_name_and_claimed_type(
    world, client_for, draft, name, content, claimed
):
    client = client_for(world.seller)
    response = upload_attachment(client, draft, SimpleUploadedFile(name, content, content_type=claimed))
    assert response.status_code == 302
    assert not draft.attachments.exists()


def test_a_pdf_is_stored_as_a_pdf_even_when_named_like_a_web_page(world, client_for, draft):
    client = client_for(world.seller)
    upload_attachment(client, draft, SimpleUploadedFile("report.html", POLYGLOT, content_type="text/html"))
    attachment = draft.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf") and ".html" not in attachment.file.name
    assert attachment.original_name == "report.html"  # shown to people as they named it, escaped


def test_an_attachment_over_the_size_limit_is_refused(world, draft):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * MAX_ATTACHMENT_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError):
        listing_attach(listing=draft, actor=world.seller, upload=big)
    assert not draft.attachments.exists()


def test_an_oversize_attachment_posted_through_the_page_is_refused(world, client_for, draft):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * MAX_ATTACHMENT_BYTES, content_type="application/pdf")
    upload_attachment(client_for(world.seller), draft, big)
    assert not draft.attachments.exists()


def test_a_listing_takes_at_most_the_allowed_number_of_attachments(world, client_for, draft):
    client = client_for(world.seller)
    for number in range(MAX_ATTACHMENTS + 2):
        upload_attachment(client, draft, SimpleUploadedFile(f"part{number}.pdf", PDF_BYTES))
    assert draft.attachments.count() == MAX_ATTACHMENTS


def test_a_request_with_more_files_than_any_form_takes_is_refused(world, client_for, draft, settings):
    files = [SimpleUploadedFile(f"part{number}.pdf", PDF_BYTES) for number in range(11)]
    response = upload_attachment(client_for(world.seller), draft, *files)
    assert response.status_code == 400
    assert not draft.attachments.exists()


def test_someone_else_cannot_attach_to_the_sellers_listing(world, client_for, draft):
    for person in (world.buyer, world.outsider, world.ningbo_broker, world.root_staff):
        response = upload_attachment(client_for(person), draft, SimpleUploadedFile("x.pdf", PDF_BYTES))
        assert response.status_code == 404
    assert not draft.attachments.exists()


# --- The import upload -------------------------------------------------------------------------------------------


def import_file(client, world, name: str, content: bytes):
    return client.post(
        "/patents/workspace/import/",
        {"seller": world.university.pk, "file": SimpleUploadedFile(name, content), "validate_only": ""},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("listings.csv", EXE),
        ("listings.xlsx", EXE),
        ("listings.xlsx", ZIP),
        ("listings.csv", HTML),
        ("listings.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel"),
        ("listings.csv", b"\x00\x01\x02" * 1000),
    ],
)
def test_a_disguised_import_file_is_refused_with_a_reason_and_imports_nothing(world, client_for, name, content):
    client = client_for(world.seller)
    client.cookies["django_language"] = "en"
    before = Listing.objects.count()
    response = import_file(client, world, name, content)
    assert response.status_code == 200
    assert 'role="alert"' in response.text or "errors" in response.text
    assert "<script>alert" not in response.text
    assert Listing.objects.count() == before


def test_an_import_file_over_the_size_limit_is_refused_before_it_is_read(world, client_for):
    from listings.importing import MAX_UPLOAD_BYTES

    before = Listing.objects.count()
    response = import_file(client_for(world.seller), world, "big.csv", b"a," * (MAX_UPLOAD_BYTES // 2 + 1))
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert Listing.objects.count() == before


# --- Bank transfer evidence ----------------------------------------------------------------------------------


@pytest.fixture
def instalment(objects):
    """The deal's first instalment, with the fixture's transfer removed so that a new one may be recorded."""
    objects.payment.bank_transfer.delete()
    objects.payment.delete()
    return objects.deal.instalments.order_by("pk").first()


def record(world, instalment, evidence, reference: str):
    from payments.services import bank_transfer_record

    return bank_transfer_record(
        instalment=instalment,
        actor=world.root_staff,
        payer=world.enterprise.name,
        amount_fen=instalment.amount_fen,
        transferred_on=timezone.localdate() - datetime.timedelta(days=1),
        bank_reference=reference,
        evidence=evidence,
    )


@pytest.mark.parametrize(("name", "content", "claimed"), DISGUISED[:4])
def test_disguised_transfer_evidence_is_refused(objects, instalment, name, content, claimed):
    with pytest.raises(ValidationError):
        record(objects.world, instalment, SimpleUploadedFile(name, content, content_type=claimed), "SEC-EVIDENCE")


def test_transfer_evidence_is_stored_under_the_extension_of_its_content(objects, instalment):
    from payments.models import BankTransfer

    payment = record(objects.world, instalment, SimpleUploadedFile("receipt.html", POLYGLOT), "SEC-POLYGLOT")
    name = BankTransfer.objects.get(payment=payment).evidence.name
    assert name.endswith(".pdf") and ".html" not in name


# --- The body limit in front of Django ------------------------------------------------------------------------


def _post_scope(headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/accounts/login/",
        "raw_path": b"/accounts/login/",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _call(scope: dict, chunks: list[bytes]) -> tuple[int, bytes, int]:
    """(status, body, chunks the application read) for a request whose body arrives in `chunks`."""
    from config.asgi import application

    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        if read < len(chunks):
            read += 1
            return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}
        await asyncio.Event().wait()  # the client stays connected until the answer is sent

    async def send(message):
        sent.append(message)

    await application(scope, receive, send)
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return status, body, read


MB = 1024 * 1024


@pytest.mark.django_db(transaction=True)
async def test_a_declared_200_mb_upload_is_refused_before_any_of_it_is_read(settings):
    scope = _post_scope([(b"content-length", str(200 * MB).encode()), (b"content-type", b"multipart/form-data")])
    status, body, read = await _call(scope, [b"x" * MB] * 200)
    assert status == 413
    assert read == 0
    assert "25 MB" in body.decode()


@pytest.mark.django_db(transaction=True)
async def test_a_body_without_a_declared_length_is_cut_off_at_the_limit(settings):
    settings.MAX_REQUEST_BODY_BYTES = 3 * MB
    scope = _post_scope([(b"content-type", b"multipart/form-data; boundary=x"), (b"transfer-encoding", b"chunked")])
    status, body, read = await _call(scope, [b"x" * MB] * 200)
    assert status == 413
    assert read == 4  # the chunk that crossed the limit, and not one more
    assert "3 MB" in body.decode()


@pytest.mark.django_db(transaction=True)
async def test_a_body_under_the_limit_reaches_the_page(settings):
    scope = _post_scope([(b"content-type", b"application/x-www-form-urlencoded"), (b"content-length", b"7")])
    status, _body, read = await _call(scope, [b"a=1&b=2"])
    assert status == 403  # Django answered (no CSRF token): the limit let the request through
    assert read == 1
