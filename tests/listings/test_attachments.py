"""A listing's documents: a visitor opens them from the listing's page; a draft's documents reach only its seller
and its centre, and nobody else learns that they exist; a file goes out as what its content is, under a name
that cannot break the header, and nothing serves the media directory where it is stored."""

import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from listings.services import listing_attach
from marketplace.core.downloads import content_disposition, safe_filename
from tests.deals.conftest import on_market  # noqa: F401 - the published listing fixture
from tests.factories import ListingFactory, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


def attach(listing, user, name: str, content: bytes):
    return listing_attach(listing=listing, actor=user, upload=SimpleUploadedFile(name, content))


def link_to(page, text: str) -> str:
    match = re.search(rf'<a href="([^"]+)">{re.escape(text)}</a>', page.content.decode())
    assert match, f"no link to {text} on the page"
    return match.group(1)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_visitor_downloads_a_published_listings_document_from_its_page(client, world, on_market):  # noqa: F811
    attach(on_market, world.seller, "技术说明书.pdf", PDF)
    page = client.get(on_market.get_absolute_url())
    assert "/media/" not in page.content.decode()

    response = client.get(link_to(page, "技术说明书.pdf"))

    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"file.pdf\"; filename*=UTF-8''{quote('技术说明书.pdf')}"
    )
    assert "private" in response["Cache-Control"]


def test_an_image_opens_in_the_browser_as_the_image_it_is(client, world, on_market):  # noqa: F811
    attach(on_market, world.seller, "prototype photo.png", PNG)
    response = client.get(link_to(client.get(on_market.get_absolute_url()), "prototype photo.png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="prototype photo.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_uploaded_under_an_html_name_is_served_as_a_pdf_download(client, world, on_market):  # noqa: F811
    attach(on_market, world.seller, "brochure.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    response = client.get(link_to(client.get(on_market.get_absolute_url()), "brochure.html"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="brochure.pdf"'


def test_a_drafts_documents_reach_its_seller_and_its_centre_and_nobody_else(client, world):
    draft = ListingFactory(seller=world.university, created_by=world.seller)
    document = attach(draft, world.seller, "未公开的试验数据.pdf", PDF)
    sign_in(client, world.seller)
    address = link_to(client.get(f"/patents/workspace/{draft.pk}/"), "未公开的试验数据.pdf")
    assert client.get(address).status_code == 200

    for person in (world.ningbo_broker, world.root_staff):
        sign_in(client, person)
        assert client.get(address).status_code == 200, person
    for person in (world.buyer, world.outsider, world.hangzhou_broker, world.stranger):
        sign_in(client, person)
        assert client.get(address).status_code == 404, person
    client.logout()
    assert client.get(address).status_code == 404
    # The same document asked for under a listing it does not belong to is not there either.
    assert client.get(f"/patents/{draft.pk + 1000}/documents/{document.pk}/").status_code == 404


def test_the_stored_file_is_not_served_from_the_media_directory(client, world, on_market):  # noqa: F811
    document = attach(on_market, world.seller, "说明书.pdf", PDF)
    response = client.get(f"/media/{document.file.name}")
    assert response.status_code == 404
    assert PDF not in response.content


@pytest.mark.parametrize(
    ("uploaded", "saved"),
    [
        ('../../etc/pass"wd\r\nSet-Cookie: x=1.html', "pass_wd_Set-Cookie_ x=1.pdf"),
        ("C:\\Users\\张三\\专利.pdf", "专利.pdf"),
        ("\x00\x1f.pdf", "file.pdf"),
    ],
)
def test_a_download_name_keeps_no_path_quote_or_line_break(uploaded, saved):
    name = safe_filename(uploaded, "listings/1/x.pdf")
    assert name == saved
    header = content_disposition(name, as_attachment=True)
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2
