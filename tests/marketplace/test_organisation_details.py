"""An organisation's administrators and its centre's staff correct its details after registration."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.organisations.models import MemberRole
from marketplace.organisations.services import organisation_update_details
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ADDRESS = "浙江省宁波市江北区风华路818号"


def details(**overrides):
    data = {
        "address": ADDRESS,
        "website": "https://www.nbu.edu.cn",
        "description": "综合性大学。",
        "name_en": "Ningbo University",
    }
    data.update(overrides)
    return data


def edit_url(organisation):
    return f"/organisations/{organisation.pk}/edit/"


def test_an_administrator_follows_the_link_corrects_the_address_and_sees_it_on_the_organisation_page(world, client_for):
    client = client_for(world.seller)
    page = client.get(f"/organisations/{world.university.pk}/")
    assert edit_url(world.university) in page.text
    form = client.get(edit_url(world.university))
    assert form.status_code == 200
    assert world.university.credit_code in form.text
    assert "已由运营中心对照营业执照核验，不能在此修改" in form.text

    response = client.post(edit_url(world.university), details(website="www.nbu.edu.cn"), follow=True)

    assert response.redirect_chain[-1][0] == f"/organisations/{world.university.pk}/"
    assert "单位信息已保存。" in response.text
    assert ADDRESS in response.text
    world.university.refresh_from_db()
    assert world.university.address == ADDRESS
    assert world.university.website == "https://www.nbu.edu.cn"
    assert world.university.name_en == "Ningbo University"
    assert world.university.description == "综合性大学。"


def test_the_name_and_credit_code_stay_as_verified_whatever_the_form_sends(world, client_for):
    name, code = world.university.name, world.university.credit_code
    client_for(world.seller).post(
        edit_url(world.university), details(name="别的大学", credit_code="91330100716105852F")
    )
    world.university.refresh_from_db()
    assert (world.university.name, world.university.credit_code) == (name, code)
    assert world.university.address == ADDRESS


def test_staff_of_the_organisations_centre_may_edit_its_details(world, client_for):
    response = client_for(world.ningbo_broker).post(edit_url(world.university), details())
    assert response.status_code == 302
    world.university.refresh_from_db()
    assert world.university.address == ADDRESS


@pytest.mark.parametrize("who", ["buyer", "outsider", "hangzhou_broker", "stranger"])
def test_anyone_else_is_refused_and_sees_no_edit_link(world, client_for, who):
    client = client_for(getattr(world, who))
    assert edit_url(world.university) not in client.get(f"/organisations/{world.university.pk}/").text
    assert client.get(edit_url(world.university)).status_code == 403
    assert client.post(edit_url(world.university), details()).status_code == 403
    world.university.refresh_from_db()
    assert world.university.address != ADDRESS


def test_a_plain_member_may_not_edit_the_details(world, client_for):
    member = MembershipFactory(organisation=world.university, role=MemberRole.MEMBER).user
    assert client_for(member).get(edit_url(world.university)).status_code == 403


def test_the_address_is_shown_as_not_recorded_until_it_is_entered(world, client):
    world.university.address = ""
    world.university.save(update_fields=["address"])
    page = client.get(f"/organisations/{world.university.pk}/")
    assert "<dt>住所</dt>" in page.text
    assert "未记录" in page.text


def test_a_malformed_website_is_refused_on_the_form_and_nothing_changes(world, client_for):
    response = client_for(world.seller).post(edit_url(world.university), details(website="http://"))
    assert response.status_code == 200
    assert 'name="website"' in response.text
    world.university.refresh_from_db()
    assert world.university.address != ADDRESS


def test_the_service_refuses_a_person_who_may_not_edit(world):
    with pytest.raises(PermissionDenied):
        organisation_update_details(organisation=world.university, actor=world.buyer, **details())


def test_the_service_validates_what_it_saves(world):
    with pytest.raises(ValidationError) as caught:
        organisation_update_details(organisation=world.university, actor=world.seller, **details(address="址" * 301))
    assert "address" in caught.value.message_dict


def test_the_service_trims_what_it_saves(world):
    organisation_update_details(
        organisation=world.university, actor=world.root_staff, **details(address=f"  {ADDRESS}\n", name_en=" NBU ")
    )
    world.university.refresh_from_db()
    assert (world.university.address, world.university.name_en) == (ADDRESS, "NBU")


def test_an_enterprise_corrects_its_size_and_a_university_is_not_asked(world, client_for):
    admin = MembershipFactory(organisation=world.enterprise, role=MemberRole.ADMIN).user
    page = client_for(admin).get(edit_url(world.enterprise)).content.decode()
    assert 'name="size"' in page
    data = {"address": "", "website": "", "description": "", "name_en": "", "size": "medium"}
    client_for(admin).post(edit_url(world.enterprise), data)
    world.enterprise.refresh_from_db()
    assert world.enterprise.size == "medium"

    university_admin = MembershipFactory(organisation=world.university, role=MemberRole.ADMIN).user
    assert 'name="size"' not in client_for(university_admin).get(edit_url(world.university)).content.decode()
    client_for(university_admin).post(edit_url(world.university), {**data, "size": "large"})
    world.university.refresh_from_db()
    assert world.university.size == ""
