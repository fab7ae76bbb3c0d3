import re

import pytest
from django.core import mail

from marketplace.accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_signs_up_and_lands_in_their_workspace(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Li.Hua@Example.cn",
            "display_name": "李华",
            "phone": "",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "privacy_consent": "on",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/workspace/"
    assert "我的工作台" in response.text
    user = User.objects.get(email="li.hua@example.cn")
    assert user.username == user.email


def test_signing_up_twice_with_the_same_address_is_refused_with_a_reason(client):
    UserFactory(email="taken@example.cn")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "TAKEN@example.cn",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="taken@example.cn").count() == 1
    assert "该电子邮箱已注册账户" in response.text


def test_a_person_logs_in_with_their_email_and_logs_out(client):
    user = UserFactory(email="wang@example.cn")
    response = client.post("/accounts/login/", {"username": "wang@example.cn", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/workspace/").status_code == 302
    assert user.is_active


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="wang@example.cn")
    response = client.post("/accounts/login/", {"username": "wang@example.cn", "password": "nope"})
    assert response.status_code == 200
    assert "alert" in response.text


def test_a_person_resets_a_forgotten_password_by_mail(client):
    UserFactory(email="zhao@example.cn")
    client.post("/accounts/password-reset/", {"email": "zhao@example.cn"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"}
    )
    assert response.status_code == 302
    assert client.login(username="zhao@example.cn", password="another-long-passphrase")


def test_asking_a_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.cn"}, follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 0
