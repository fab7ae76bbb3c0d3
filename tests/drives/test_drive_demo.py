"""The demo's finished matching drive: 浙江大学's idle listings pushed by the provincial centre to the demo firms,
with firms that opened, enquired and negotiated, so the funnel has figures on first run; seeding twice adds
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from drives.models import Drive, DrivePair, DriveRecipient, DriveStatus
from drives.selectors import drive_funnel
from portal.demo.drives import DEMO_DRIVE_TITLE, ENQUIRING_FIRMS
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_holds_one_finished_drive_whose_funnel_shows_figures(client):
    output = StringIO()
    call_command("seed_demo", "--listings", "120", "--workers", "1", stdout=output)
    assert "matching drive:" in output.getvalue() and "created" in output.getvalue()
    drive = Drive.objects.get(title=DEMO_DRIVE_TITLE)
    assert drive.status == DriveStatus.SENT and drive.centre.is_root
    assert all(pair.listing.seller.name == "浙江大学" for pair in DrivePair.objects.select_related("listing__seller"))
    funnel = dict(drive_funnel(drive).firms.stages())
    assert funnel["sent"] >= 10
    assert 0 < funnel["opened"] < funnel["sent"]
    assert funnel["enquiries"] == ENQUIRING_FIRMS and funnel["negotiations"] == 1

    pairs, recipients = DrivePair.objects.count(), DriveRecipient.objects.count()
    call_command("seed_demo", "--listings", "120", "--workers", "1", stdout=StringIO())
    assert Drive.objects.count() == 1 and DrivePair.objects.count() == pairs
    assert DriveRecipient.objects.count() == recipients

    # The province's broker reads it on the drive's page.
    from marketplace.accounts.models import User

    sign_in(client, User.objects.get(email="broker.province@demo.ipx.cn"))
    page = client.get(f"/drives/{drive.pk}/").content.decode()
    assert DEMO_DRIVE_TITLE in page and 'data-stage="negotiations"' in page
