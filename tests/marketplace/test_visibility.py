"""What each role can and cannot see: one selector per kind of object decides."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import organisations_to_verify, organisations_visible_to
from marketplace.organisations.services import organisation_set_verified
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def visible_names(user):
    return set(organisations_visible_to(user).values_list("name", flat=True))


def test_anonymous_visitors_see_no_private_organisation_details(world):
    assert visible_names(AnonymousUser()) == set()


def test_a_signed_in_person_without_organisation_or_centre_sees_nothing_private(world):
    assert visible_names(world.stranger) == set()


def test_organisation_members_see_only_their_own_organisation(world):
    assert visible_names(world.seller) == {"宁波大学"}
    assert visible_names(world.buyer) == {"宁波甬新材料科技有限公司"}
    assert visible_names(world.outsider) == {"杭州数衡智能科技有限公司"}


def test_centre_staff_see_what_their_centre_and_its_descendants_host(world):
    assert visible_names(world.ningbo_broker) == {"宁波大学", "宁波甬新材料科技有限公司"}


def test_staff_of_a_sub_centre_do_not_see_what_their_parent_centre_hosts(world):
    assert visible_names(world.alliance_broker) == {"宁波甬新材料科技有限公司"}


def test_staff_of_a_sibling_centre_see_nothing_of_another_centre(world):
    assert visible_names(world.hangzhou_broker) == {"杭州数衡智能科技有限公司"}


def test_root_staff_see_everything(world):
    assert visible_names(world.root_staff) == {
        "宁波大学",
        "宁波甬新材料科技有限公司",
        "杭州数衡智能科技有限公司",
    }
    assert staff_scope(world.root_staff).everything


def test_a_broker_of_another_centre_cannot_verify_an_organisation(world):
    world.university.verified = False
    world.university.save()
    with pytest.raises(PermissionDenied):
        organisation_set_verified(organisation=world.university, actor=world.hangzhou_broker, verified=True)
    world.university.refresh_from_db()
    assert not world.university.verified


def test_a_broker_of_the_hosting_centre_verifies_and_is_recorded(world):
    world.enterprise.verified = False
    world.enterprise.save()
    organisation_set_verified(organisation=world.enterprise, actor=world.ningbo_broker, verified=True)
    world.enterprise.refresh_from_db()
    assert world.enterprise.verified and world.enterprise.verified_by == world.ningbo_broker


def test_the_verification_queue_holds_only_the_brokers_centres(world):
    assert set(organisations_to_verify(world.alliance_broker).values_list("name", flat=True)) == {
        "宁波甬新材料科技有限公司"
    }
    assert organisations_to_verify(world.seller).count() == 0


def test_a_broker_verifies_from_the_queue_page(world, client_for):
    world.university.verified = False
    world.university.save()
    client = client_for(world.ningbo_broker)
    page = client.get("/organisations/verification/")
    assert "宁波大学" in page.text and "杭州数衡" not in page.text
    response = client.post(f"/organisations/{world.university.pk}/verify/", {"verified": "1"})
    assert response.status_code == 302
    world.university.refresh_from_db()
    assert world.university.verified


def test_a_broker_of_another_centre_gets_404_when_verifying_by_url(world, client_for):
    response = client_for(world.hangzhou_broker).post(
        f"/organisations/{world.university.pk}/verify/", {"verified": "0"}
    )
    assert response.status_code == 404
    world.university.refresh_from_db()
    assert world.university.verified


def test_people_who_are_not_staff_cannot_open_the_verification_queue(world, client_for):
    assert client_for(world.seller).get("/organisations/verification/").status_code == 403


def test_members_list_is_shown_to_members_and_hosting_staff_only(world, client):
    url = f"/organisations/{world.university.pk}/"
    seller_email = world.seller.email
    sign_in(client, world.seller)
    assert seller_email in client.get(url).text or str(world.seller) in client.get(url).text
    sign_in(client, world.outsider)
    page = client.get(url)
    assert page.status_code == 200 and str(world.seller) not in page.text
    sign_in(client, world.ningbo_broker)
    assert str(world.seller) in client.get(url).text
