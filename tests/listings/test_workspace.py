"""A seller lists a patent from the workspace; a broker moderates it. What each person sees and may do."""

import datetime

import pytest

from listings.models import Listing, ListingStatus, Patent
from tests.factories import ListingFactory, PatentFactory, make_application_number

pytestmark = pytest.mark.django_db


def new_listing_form(world, number, **overrides):
    data = {
        "patent-application_number": number,
        "patent-patent_type": "invention",
        "patent-title": "一种固态电解质及其制备方法",
        "patent-abstract": "本发明提供一种固态电解质，室温离子电导率达到1.2mS/cm。",
        "patent-first_claim": "1. 一种固态电解质……",
        "patent-ipc_codes": "H01M 10/0562; H01M 10/0525",
        "patent-filing_date": "2019-05-06",
        "patent-grant_date": "2021-08-10",
        "patent-legal_status": "granted",
        "patent-applicant_names": world.university.name,
        "patent-inventors": "王磊；陈静",
        "listing-seller": world.university.pk,
        "listing-title": "室温高电导固态电解质",
        "listing-summary": "固态电池的关键材料：室温离子电导率1.2mS/cm，是常见氧化物电解质的3倍，可在现有产线上制备。",
        "listing-maturity": "pilot",
        "listing-application_fields": "动力电池；储能",
        "listing-comparison": "",
        "listing-asking_price_fen": "",
        "listing-price_negotiable": "on",
    }
    data.update(overrides)
    return data


def test_a_seller_lists_a_new_patent_prices_it_and_submits_it(world, client_for):
    client = client_for(world.seller)
    number = make_application_number(555, year=2019)
    response = client.post("/patents/workspace/new/", new_listing_form(world, "ZL " + number))
    listing = Listing.objects.get(title="室温高电导固态电解质")
    assert response.status_code == 302 and response["Location"] == f"/patents/workspace/{listing.pk}/terms/"
    assert listing.status == ListingStatus.DRAFT and listing.centre == world.ningbo
    assert Patent.objects.get(application_number=number).applicants.get() == world.university

    response = client.post(
        f"/patents/workspace/{listing.pk}/terms/",
        {
            "licence-offered": "on",
            "licence-licence_types": ["ordinary", "exclusive"],
            "licence-territory": "中国大陆",
            "licence-upfront_fee_fen": "200000.00",
            "licence-royalty_rate": "3.5",
            "transfer-offered": "on",
            "transfer-price_fen": "1500000",
            "equity-appraised_value_fen": "",
        },
    )
    assert response.status_code == 302
    licence = listing.terms.get(mode="licence")
    assert licence.upfront_fee_fen == 20_000_000 and str(licence.royalty_rate) == "3.50"
    assert listing.terms.get(mode="transfer").price_fen == 150_000_000

    page = client.get(f"/patents/workspace/{listing.pk}/")
    assert 'name="to_status" value="submitted"' in page.text  # the submit action is offered
    assert "/100" in page.text  # the quality score with advice
    client.post(f"/patents/workspace/{listing.pk}/status/", {"to_status": "submitted"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_a_mistyped_number_is_refused_with_the_expected_check_digit(world, client_for):
    number = make_application_number(556)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = client_for(world.seller).post("/patents/workspace/new/", new_listing_form(world, wrong))
    assert response.status_code == 200
    assert number[-1] in response.text
    assert not Listing.objects.exists()


def test_the_declared_type_must_match_the_number(world, client_for):
    number = make_application_number(557, type_digit=2)
    response = client_for(world.seller).post("/patents/workspace/new/", new_listing_form(world, number))
    assert response.status_code == 200
    assert not Listing.objects.exists()


def test_the_patent_lookup_fills_in_a_known_patent(world, client_for):
    patent = PatentFactory(owners=[world.university])
    response = client_for(world.seller).get(
        "/patents/workspace/patent-lookup/", {"number": "CN" + patent.application_number}
    )
    body = response.json()
    assert body["found"] and body["title"] == patent.title and body["ipc_codes"].startswith("H01M 4/525")


def _look_up(client, patent) -> dict:
    return client.get("/patents/workspace/patent-lookup/", {"number": "CN" + patent.application_number}).json()


def test_an_unpublished_application_is_known_only_to_its_own_applicant(world, client_for):
    secret = PatentFactory(
        owners=[world.university],
        publication_date=None,
        grant_date=None,
        legal_status="published",
        title="未公开的申请",
    )
    outsider = _look_up(client_for(world.buyer), secret)
    assert outsider["valid"] and not outsider["found"]
    assert "未公开的申请" not in str(outsider)
    assert _look_up(client_for(world.seller), secret)["title"] == "未公开的申请"


def test_a_published_application_is_found_by_anyone_signed_in(world, client_for):
    published = PatentFactory(
        owners=[world.university], publication_date=datetime.date(2024, 3, 1), grant_date=None, legal_status="published"
    )
    assert _look_up(client_for(world.buyer), published)["found"]


def test_the_patent_lookup_explains_a_bad_number(world, client_for):
    response = client_for(world.seller).get("/patents/workspace/patent-lookup/", {"number": "12345"})
    assert response.status_code == 400 and response.json()["error"]


def test_a_seller_cannot_open_or_edit_another_organisations_listing(world, client_for):
    theirs = ListingFactory(seller=world.other_enterprise)
    client = client_for(world.seller)
    assert client.get(f"/patents/workspace/{theirs.pk}/").status_code == 404
    assert client.post(f"/patents/workspace/{theirs.pk}/", {"listing-title": "hijack"}).status_code == 404
    assert client.post(f"/patents/workspace/{theirs.pk}/terms/", {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title != "hijack"


def test_a_stranger_cannot_move_a_listing_by_posting_to_its_status_url(world, client_for):
    listing = ListingFactory(seller=world.university)
    response = client_for(world.outsider).post(f"/patents/workspace/{listing.pk}/status/", {"to_status": "submitted"})
    assert response.status_code == 404
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


def test_a_broker_sees_only_their_centres_queue_with_the_review(world, client_for):
    ours = ListingFactory(seller=world.enterprise)  # hosted by the alliance, below Ningbo
    theirs = ListingFactory(seller=world.other_enterprise)  # hosted by Hangzhou
    for listing, seller in ((ours, world.buyer), (theirs, world.outsider)):
        client_for(seller).post(f"/patents/workspace/{listing.pk}/status/", {"to_status": "submitted"})
    page = client_for(world.ningbo_broker).get("/patents/moderation/")
    assert ours.title in page.text and theirs.title not in page.text
    assert client_for(world.ningbo_broker).get(f"/patents/moderation/{theirs.pk}/").status_code == 404
    review = client_for(world.ningbo_broker).get(f"/patents/moderation/{ours.pk}/")
    assert "知识产权评议" in review.text


def test_a_broker_approves_from_the_review_page(world, client_for):
    listing = ListingFactory(seller=world.university)
    client_for(world.seller).post(f"/patents/workspace/{listing.pk}/status/", {"to_status": "submitted"})
    response = client_for(world.ningbo_broker).post(
        f"/patents/workspace/{listing.pk}/status/", {"to_status": "published"}
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


def test_sellers_cannot_open_the_moderation_queue(world, client_for):
    assert client_for(world.seller).get("/patents/moderation/").status_code == 403


def test_an_attachment_is_judged_by_its_content(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    listing = ListingFactory(seller=world.university)
    client = client_for(world.seller)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    client.post(f"/patents/workspace/{listing.pk}/attachments/", {"file": fake})
    assert not listing.attachments.exists()
    real = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n%test\n", content_type="application/octet-stream")
    client.post(f"/patents/workspace/{listing.pk}/attachments/", {"file": real})
    assert listing.attachments.get().content_type == "application/pdf"


def test_the_workspace_shows_the_listings_panel(world, client_for):
    ListingFactory(seller=world.university)
    page = client_for(world.seller).get("/workspace/")
    assert "/patents/workspace/" in page.text


def test_the_sellers_table_comes_in_numbered_pages_with_the_total(world, client_for, monkeypatch):
    monkeypatch.setattr("listings.views.workspace.MY_LISTINGS_PAGE_SIZE", 2)
    for number in range(5):
        ListingFactory(seller=world.university, centre=world.ningbo, title=f"Mine {number}")
    ListingFactory(seller=world.other_enterprise, centre=world.hangzhou, title="Not mine")
    client = client_for(world.seller)
    client.cookies["django_language"] = "en"

    first = client.get("/patents/workspace/")
    assert [listing.title for listing in first.context["listings"]] == ["Mine 4", "Mine 3"]
    nav = first.text[first.text.index('<nav class="pagination"') :]
    assert "5 in all · page 1 of 3" in nav
    assert 'href="?page=2" rel="next"' in nav and 'href="?page=3"' in nav

    last = client.get("/patents/workspace/", {"page": "3"})
    assert [listing.title for listing in last.context["listings"]] == ["Mine 0"]
    assert "Not mine" not in last.text
    assert client.get("/patents/workspace/", {"page": "99"}).context["pages"].number == 3
