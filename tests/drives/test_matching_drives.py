"""Matching drives from the users' side: a centre's staff build a drive, preview its pairs and send it; each firm
gets one digest (workspace, mail, live); the drive's page shows the funnel move as firms open and enquire, and
exports it."""

import io

import pytest
from django.core import mail
from django.utils import translation
from openpyxl import load_workbook

from deals.services.negotiations import negotiation_open, offer_propose
from demands.services import demand_create, demand_set_status
from drives.models import Drive, DrivePair, DriveRecipient, DriveStatus
from marketplace.organisations.models import OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, PatentFactory, listing_on_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(world):
    """Three published listings of the university (Ningbo), and four firms registered below Ningbo, each with a
    member: the alliance's enterprise (its buyer is a signatory) and three more firms in Ningbo."""
    listings = [
        listing_on_market(
            seller=world.university,
            seller_user=world.seller,
            broker=world.ningbo_broker,
            title=f"宁波大学技术{n}",
            patent=PatentFactory(owners=[world.university], main_ipc=ipc, ipc_codes=[ipc]),
        )
        for n, ipc in enumerate(["H01M 4/525", "C08K 3/04", "G06T 7/00"])
    ]
    firms = [world.enterprise]
    for n in range(3):
        firm = OrganisationFactory(name=f"宁波测试企业{n}", centre=world.ningbo, city="ningbo")
        MembershipFactory(organisation=firm)
        firms.append(firm)
    return listings, firms


def new_drive(client, world, **fields):
    data = {
        "centre": world.ningbo.pk,
        "title": "宁波大学闲置专利推送",
        "message": "宁波交易中心为您精选",
        "sellers": [world.university.pk],
        "idle_only": "on",
        "listings_per_firm": 5,
        **fields,
    }
    return client.post("/drives/new/", data)


def send(client, drive, capture):
    with capture(execute=True):
        return client.post(f"/drives/{drive.pk}/send/")


def test_staff_build_preview_and_send_a_drive_and_each_firm_gets_one_digest(
    world, market, client_for, django_capture_on_commit_callbacks
):
    listings, firms = market
    client = client_for(world.ningbo_broker)
    response = new_drive(client, world)
    drive = Drive.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/drives/{drive.pk}/"
    assert sorted(drive.listing_ids) == sorted(listing.pk for listing in listings)

    preview = client.get(f"/drives/{drive.pk}/").content.decode()
    for firm in firms:
        assert firm.name in preview
    assert f"<td>{world.university.name}</td>" not in preview  # a university is no target, and never its own
    assert listings[0].title in preview
    assert not DriveRecipient.objects.exists()  # a preview sends nothing

    mail.outbox.clear()
    response = send(client, drive, django_capture_on_commit_callbacks)
    drive.refresh_from_db()
    assert drive.status == DriveStatus.SENT and drive.sent_at is not None
    assert DriveRecipient.objects.filter(drive=drive).count() == len(firms)
    assert DrivePair.objects.filter(drive=drive).count() == len(firms) * len(listings)
    assert all(recipient.delivered_at for recipient in DriveRecipient.objects.all())
    # One mail per firm, to its members, listing its listings and the digest's link.
    assert len(mail.outbox) == len(firms)
    buyer_mail = next(message for message in mail.outbox if world.buyer.email in message.to)
    recipient = DriveRecipient.objects.get(organisation=world.enterprise)
    assert f"/drives/digests/{recipient.token}/" in buyer_mail.body
    assert all(listing.title in buyer_mail.body for listing in listings)
    # The digest is in the firm's workspace.
    workspace = client_for(world.buyer).get("/workspace/").content.decode()
    assert drive.title in workspace and f"/drives/digests/{recipient.token}/" in workspace


def test_sending_twice_sends_nothing_more(world, market, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.ningbo_broker)
    new_drive(client, world)
    drive = Drive.objects.get()
    send(client, drive, django_capture_on_commit_callbacks)
    mails, pairs = len(mail.outbox), DrivePair.objects.count()
    response = send(client, drive, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == mails and DrivePair.objects.count() == pairs
    # The task run again (a runner that died before recording it done) delivers nothing twice either.
    from drives.tasks import send_drive

    assert send_drive.call(drive_id=drive.pk) == 0
    assert len(mail.outbox) == mails


def test_a_listing_already_sent_to_a_firm_is_not_sent_again_in_a_later_drive(
    world, market, client_for, django_capture_on_commit_callbacks
):
    listings, firms = market
    client = client_for(world.ningbo_broker)
    new_drive(client, world, title="第一次")
    first = Drive.objects.get()
    send(client, first, django_capture_on_commit_callbacks)
    newer = listing_on_market(
        seller=world.university, seller_user=world.seller, broker=world.ningbo_broker, title="宁波大学新技术"
    )
    new_drive(client, world, title="第二次")
    second = Drive.objects.exclude(pk=first.pk).get()
    preview = client.get(f"/drives/{second.pk}/").content.decode()
    assert newer.title in preview and listings[0].title not in preview.split("choose-title")[0]
    send(client, second, django_capture_on_commit_callbacks)
    assert set(DrivePair.objects.filter(drive=second).values_list("listing_id", flat=True)) == {newer.pk}
    # And the database itself refuses a repeat, whatever the code above it does.
    from django.db import IntegrityError, transaction

    pair = DrivePair.objects.filter(drive=first).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DrivePair.objects.create(
            drive=second,
            recipient=DriveRecipient.objects.get(drive=second, organisation=pair.organisation),
            organisation=pair.organisation,
            listing=pair.listing,
            reason="chosen",
        )


def test_other_centres_staff_cannot_see_the_drive_and_firms_cannot_run_drives(
    world, market, client_for, django_capture_on_commit_callbacks
):
    new_drive(client_for(world.ningbo_broker), world)
    drive = Drive.objects.get()
    hangzhou = client_for(world.hangzhou_broker)
    assert hangzhou.get(f"/drives/{drive.pk}/").status_code == 404
    assert hangzhou.get(f"/drives/{drive.pk}/funnel.xlsx").status_code == 404
    assert hangzhou.post(f"/drives/{drive.pk}/send/").status_code == 404
    assert drive.title not in hangzhou.get("/drives/").content.decode()
    # A centre above sees it.
    assert client_for(world.root_staff).get(f"/drives/{drive.pk}/").status_code == 200
    # A firm's member is not staff.
    buyer = client_for(world.buyer)
    assert buyer.get("/drives/").status_code == 403
    assert buyer.get(f"/drives/{drive.pk}/").status_code == 403
    assert buyer.post("/drives/new/", {"title": "x"}).status_code == 403


def test_a_drive_with_no_matching_listing_is_a_form_error_and_saves_nothing(world, market, client_for):
    client = client_for(world.ningbo_broker)
    response = new_drive(client, world, listing_fields=["A"])
    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert translation.gettext("No listing on the market matches these criteria.") in response.content.decode()
    assert not Drive.objects.exists()
    response = new_drive(client, world, listings_per_firm=0, title="")
    assert response.status_code == 400 and not Drive.objects.exists()


def test_the_funnel_moves_as_a_firm_opens_its_digest_and_enquires_and_negotiates(
    world, market, client_for, django_capture_on_commit_callbacks
):
    listings, _firms = market
    staff = client_for(world.ningbo_broker)
    new_drive(staff, world)
    drive = Drive.objects.get()
    send(staff, drive, django_capture_on_commit_callbacks)

    def headline() -> dict:
        from drives.selectors import drive_funnel

        return dict(drive_funnel(Drive.objects.get(pk=drive.pk)).firms.stages())

    assert headline() == {"sent": 4, "opened": 0, "enquiries": 0, "negotiations": 0, "deals": 0}
    recipient = DriveRecipient.objects.get(organisation=world.enterprise)
    # Staff looking at the digest are not the firm.
    assert staff.get(f"/drives/digests/{recipient.token}/").status_code == 200
    assert headline()["opened"] == 0

    buyer = client_for(world.buyer)
    page = buyer.get(f"/drives/digests/{recipient.token}/").content.decode()
    assert f"/deals/negotiations/enquire/{listings[0].pk}/" in page
    assert headline()["opened"] == 1
    buyer.get(f"/drives/digests/{recipient.token}/")
    assert headline()["opened"] == 1  # the first opening only

    # From the digest, the firm enquires on a listing: the enquiry form of the negotiation rooms.
    response = buyer.post(
        f"/deals/negotiations/enquire/{listings[0].pk}/",
        {"mode": "licence", "buyer": world.enterprise.pk, "message": "我们想了解许可条件"},
    )
    assert response.status_code == 302
    assert headline() == {"sent": 4, "opened": 1, "enquiries": 1, "negotiations": 0, "deals": 0}
    page = client_for(world.ningbo_broker).get(f"/drives/{drive.pk}/").content.decode()
    assert '<li data-stage="enquiries"><span class="progress-label">' in page
    assert page.split('data-stage="enquiries"')[1].split("</li>")[0].endswith('<span class="funnel-count">1</span>')

    negotiation = world.enterprise.negotiations_as_buyer.get()
    offer_propose(
        negotiation=negotiation,
        actor=world.seller,
        terms={"licence_type": "ordinary", "payment_mode": "fixed", "upfront_fee_fen": 5_000_000, "term_years": 3},
    )
    assert headline()["negotiations"] == 1

    # An enquiry made before the drive, or on a listing not sent, is not the drive's.
    other = OrganisationFactory(kind=OrganisationKind.ENTERPRISE, centre=world.hangzhou)
    member = MembershipFactory(organisation=other).user
    negotiation_open(listing=listings[1], mode="licence", actor=member, buyer=other)
    assert headline()["enquiries"] == 1


def test_the_funnel_exports_as_a_workbook_with_a_row_per_listing_and_per_firm(
    world, market, client_for, django_capture_on_commit_callbacks
):
    listings, firms = market
    staff = client_for(world.ningbo_broker)
    new_drive(staff, world)
    drive = Drive.objects.get()
    send(staff, drive, django_capture_on_commit_callbacks)
    negotiation_open(listing=listings[2], mode="licence", actor=world.buyer, buyer=world.enterprise)

    response = staff.get(f"/drives/{drive.pk}/funnel.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    funnel, by_listing, by_firm, about = workbook.worksheets
    assert [row[1] for row in funnel.iter_rows(min_row=2, values_only=True)] == [4, 0, 1, 0, 0]
    listing_rows = {row[0]: row for row in by_listing.iter_rows(min_row=2, values_only=True)}
    assert set(listing_rows) == {listing.pk for listing in listings}
    assert listing_rows[listings[2].pk][1:4] == (listings[2].title, 4, 0)
    assert listing_rows[listings[2].pk][4] == 1
    firm_rows = {row[0]: row for row in by_firm.iter_rows(min_row=2, values_only=True)}
    assert set(firm_rows) == {firm.pk for firm in firms}
    assert firm_rows[world.enterprise.pk][2:] == (3, 0, 1, 0, 0)
    assert about["B1"].value == drive.title


def test_relevance_puts_a_firms_demand_first_and_says_why(
    world, market, client_for, django_capture_on_commit_callbacks
):
    listings, _firms = market
    demand = demand_create(
        actor=world.buyer,
        organisation=world.enterprise,
        title="图像缺陷检测",
        description="产线视觉质检",
        field="G",
        ipc_codes="G06T",
        deal_kinds=["licence"],
        city="ningbo",
        deadline=__import__("datetime").date.today() + __import__("datetime").timedelta(days=30),
    )
    demand_set_status(demand=demand, to_status="submitted", actor=world.buyer)
    staff = client_for(world.ningbo_broker)
    new_drive(staff, world, listings_per_firm=1, with_demands_only="on")
    drive = Drive.objects.get()
    preview = staff.get(f"/drives/{drive.pk}/").content.decode()
    assert world.enterprise.name in preview and "宁波测试企业0" not in preview  # only firms with demands
    send(staff, drive, django_capture_on_commit_callbacks)
    [pair] = DrivePair.objects.filter(drive=drive)
    assert pair.listing == listings[2] and pair.reason == "demand_ipc"
    assert "图像缺陷检测" in pair.reason_detail


def test_staff_reach_only_firms_of_the_sizes_they_tick(world, market, client_for, django_capture_on_commit_callbacks):
    _listings, firms = market
    for firm, size in zip(firms, ["small", "micro", "large", ""], strict=True):
        firm.size = size
        firm.save(update_fields=["size"])
    client = client_for(world.ningbo_broker)
    new_drive(client, world, sizes=["micro", "small"])
    drive = Drive.objects.get()
    preview = client.get(f"/drives/{drive.pk}/").content.decode()
    assert "小型企业、微型企业" in preview or "微型企业、小型企业" in preview  # the criteria, as chosen

    send(client, drive, django_capture_on_commit_callbacks)
    reached = set(DriveRecipient.objects.filter(drive=drive).values_list("organisation__name", flat=True))
    assert reached == {firms[0].name, firms[1].name}  # not the large firm, nor the one that stated no size
