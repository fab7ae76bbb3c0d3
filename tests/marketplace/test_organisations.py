import pytest
from django.utils.translation import override

from marketplace.organisations.credit_code import MESSAGE_CHECK
from marketplace.organisations.models import MemberRole, Membership, Organisation
from tests.factories import UserFactory, make_credit_code

pytestmark = pytest.mark.django_db


def registration(code, **overrides):
    data = {
        "name": "杭州新创科技有限公司",
        "kind": "enterprise",
        "credit_code": code,
        "city": "hangzhou",
        "centre": "",
    }
    data.update(overrides)
    return data


def test_a_person_registers_their_organisation_and_becomes_its_administrator(world, client_for):
    person = UserFactory()
    code = make_credit_code(424242)
    response = client_for(person).post("/organisations/register/", registration(f" {code.lower()} "))
    organisation = Organisation.objects.get(credit_code=code)
    assert response.status_code == 302
    assert not organisation.verified
    assert organisation.centre == world.root
    assert Membership.objects.get(organisation=organisation, user=person).role == MemberRole.ADMIN


def test_a_mistyped_credit_code_is_refused_with_the_expected_check_character(world, client_for):
    code = make_credit_code(424242)
    wrong_last = "1" if code[-1] != "1" else "2"
    response = client_for(UserFactory()).post("/organisations/register/", registration(code[:-1] + wrong_last))
    assert response.status_code == 200
    assert f"校验码应为“{code[-1]}”" in response.text or f"'{code[-1]}'" in response.text
    assert not Organisation.objects.filter(credit_code__startswith=code[:17]).exists()


def test_a_credit_code_with_a_forbidden_letter_names_its_position(world, client_for):
    response = client_for(UserFactory()).post("/organisations/register/", registration("91330100MA2O000000"))
    assert response.status_code == 200
    assert "12" in response.text
    assert "“O”" in response.text


def test_a_credit_code_of_the_wrong_length_says_how_long_it_was(world, client_for):
    response = client_for(UserFactory()).post("/organisations/register/", registration("9133010071610585"))
    assert "16" in response.text


def test_an_already_registered_credit_code_is_refused(world, client_for):
    response = client_for(UserFactory()).post("/organisations/register/", registration(world.university.credit_code))
    assert response.status_code == 200
    assert Organisation.objects.filter(credit_code=world.university.credit_code).count() == 1


def test_an_administrator_adds_a_member_by_email(world, client_for):
    colleague = UserFactory(email="colleague@example.cn")
    client_for(world.seller).post(
        f"/organisations/{world.university.pk}/members/", {"email": "colleague@example.cn", "role": "member"}
    )
    assert Membership.objects.filter(organisation=world.university, user=colleague).exists()


def test_a_plain_member_cannot_add_members(world, client_for):
    member = UserFactory()
    Membership.objects.create(organisation=world.university, user=member, role=MemberRole.MEMBER)
    colleague = UserFactory()
    response = client_for(member).post(
        f"/organisations/{world.university.pk}/members/", {"email": colleague.email, "role": "admin"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=colleague).exists()


def test_an_outsider_cannot_add_members_to_another_organisation(world, client_for):
    response = client_for(world.outsider).post(
        f"/organisations/{world.university.pk}/members/", {"email": world.outsider.email, "role": "admin"}
    )
    assert response.status_code == 404


def test_credit_code_errors_are_translated_into_the_active_language():
    from django.core.exceptions import ValidationError

    from marketplace.organisations.validators import clean_credit_code

    code = make_credit_code(7)
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    with override("en"), pytest.raises(ValidationError) as english:
        clean_credit_code(wrong)
    with override("zh-hans"), pytest.raises(ValidationError) as chinese:
        clean_credit_code(wrong)
    assert english.value.messages == [MESSAGE_CHECK % {"expected": code[-1], "actual": wrong[-1]}]
    assert chinese.value.messages[0].startswith(f"校验码应为“{code[-1]}”")


def test_an_enterprise_states_its_size_and_the_organisation_page_shows_it(world, client_for, client):
    code = make_credit_code(434343)
    client_for(UserFactory()).post("/organisations/register/", registration(code, size="small"))
    organisation = Organisation.objects.get(credit_code=code)
    assert organisation.size == "small"
    assert "小型企业" in client.get(f"/organisations/{organisation.pk}/").content.decode()


def test_a_university_cannot_state_an_enterprise_size(world, client_for):
    code = make_credit_code(454545)
    response = client_for(UserFactory()).post(
        "/organisations/register/", registration(code, kind="university", name="某大学", size="large")
    )
    assert response.status_code == 200
    assert "只有企业填写企业规模。" in response.content.decode()
    assert not Organisation.objects.filter(credit_code=code).exists()
