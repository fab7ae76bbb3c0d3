"""Rate limits: guessing passwords and flooding sellers with enquiries are slowed down, nobody else is."""

import pytest
from django.test import Client
from django.urls import reverse

from deals.models import Negotiation
from marketplace.core.ratelimit import rate_limit_reset, rate_limited
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def small_limits(settings):
    settings.RATE_LIMITS = {
        "login": {"count": 3, "seconds": 900},
        "login_account": {"count": 6, "seconds": 900},
        "login_address": {"count": 6, "seconds": 900},
        "unlock_mail": {"count": 2, "seconds": 3600},
        "enquiry": {"count": 2, "seconds": 3600},
    }


def client_from(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = "en"
    return client


def log_in(client: Client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


# --- The counter ---------------------------------------------------------------------------------------------


def test_the_counter_allows_the_limit_and_refuses_the_next(small_limits):
    assert [rate_limited("enquiry", "user:1") for _ in range(3)] == [False, False, True]
    assert rate_limited("enquiry", "user:1", record=False)
    assert not rate_limited("enquiry", "user:2", record=False)  # counted per identity
    rate_limit_reset("enquiry", "user:1")
    assert not rate_limited("enquiry", "user:1", record=False)


def test_asking_without_recording_counts_nothing(small_limits):
    for _ in range(10):
        assert not rate_limited("login", "someone|10.0.0.1", record=False)


# --- Login ---------------------------------------------------------------------------------------------------


def test_repeated_wrong_passwords_get_429_with_the_reason_on_the_form(small_limits):
    user = UserFactory(email="wang@example.cn")
    client = client_from("10.0.0.1")
    for _ in range(3):
        assert log_in(client, user.email, "wrong").status_code == 200
    response = log_in(client, user.email, TEST_PASSWORD)  # even the right password, while blocked
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_the_block_ignores_the_case_of_the_address_typed(small_limits):
    user = UserFactory(email="li@example.cn")
    client = client_from("10.0.0.1")
    for email in ("li@example.cn", "LI@example.cn", "Li@Example.cn"):
        log_in(client, email, "wrong")
    assert log_in(client, user.email, TEST_PASSWORD).status_code == 429


def test_a_correct_login_is_not_blocked_by_other_peoples_failures(small_limits):
    victim = UserFactory(email="zhao@example.cn")
    other = UserFactory(email="qian@example.cn")
    attacker = client_from("10.6.6.6")
    for _ in range(5):
        log_in(attacker, victim.email, "guess")  # the victim's account, from another address
        log_in(client_from("10.0.0.2"), other.email, "wrong")  # someone else's account, from the victim's address
    assert log_in(attacker, victim.email, TEST_PASSWORD).status_code == 429
    response = log_in(client_from("10.0.0.2"), victim.email, TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("portal:workspace")


def test_a_successful_login_clears_the_earlier_failures(small_limits):
    user = UserFactory(email="sun@example.cn")
    client = client_from("10.0.0.3")
    log_in(client, user.email, "wrong")
    log_in(client, user.email, "wrong")
    assert log_in(client, user.email, TEST_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    log_in(client, user.email, "wrong")
    log_in(client, user.email, "wrong")
    assert log_in(client, user.email, TEST_PASSWORD).status_code == 302


def test_guessing_one_password_from_many_addresses_locks_the_account_and_its_owner_unlocks_it_by_mail(
    small_limits, mailoutbox
):
    owner = UserFactory(email="zhou@example.cn")
    for n in range(6):  # a botnet: two tries from each of three addresses stays under the per-address limit
        log_in(client_from(f"10.9.0.{n // 2}"), owner.email, f"guess-{n}")
    at_home = client_from("10.0.0.7")
    response = log_in(at_home, owner.email, TEST_PASSWORD)
    assert response.status_code == 429 and "unlock link" in response.text

    at_home.post("/accounts/unlock/", {"email": "Zhou@Example.cn"})
    (mail,) = [message for message in mailoutbox if owner.email in message.to]
    link = next(word for word in mail.body.split() if "/accounts/unlock/" in word)
    assert "unlocked" in at_home.get(link).text
    assert log_in(at_home, owner.email, TEST_PASSWORD).status_code == 302


def test_password_spraying_from_one_address_is_stopped_for_every_account(small_limits):
    people = [UserFactory(email=f"staff{n}@example.cn") for n in range(7)]
    sprayer = client_from("10.6.6.6")
    for person in people[:6]:  # one common password on six accounts: once each, under every per-account limit
        log_in(sprayer, person.email, "Password123")
    response = log_in(sprayer, people[6].email, TEST_PASSWORD)
    assert response.status_code == 429 and "from your network" in response.text
    assert "unlock link" not in response.text  # an address lock is not the account owner's to lift
    assert log_in(client_from("10.0.0.8"), people[6].email, TEST_PASSWORD).status_code == 302


def test_an_unlock_link_that_is_forged_or_for_no_account_unlocks_nothing(small_limits, mailoutbox):
    client = client_from("10.0.0.9")
    response = client.post("/accounts/unlock/", {"email": "nobody@example.cn"})
    assert response.status_code == 200 and "on its way" in response.text  # the same answer as for an account
    assert not mailoutbox
    assert client.get("/accounts/unlock/not-a-real-token/").status_code == 400


def test_unlock_mails_to_one_account_are_limited(small_limits, mailoutbox):
    UserFactory(email="wu@example.cn")
    for _ in range(4):
        client_from("10.0.0.10").post("/accounts/unlock/", {"email": "wu@example.cn"})
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("login_path", ["/cms/login/", "/django-admin/login/"])
def test_the_admin_login_forms_are_throttled_too(small_limits, login_path):
    admin = UserFactory(email="admin@example.cn", is_staff=True, is_superuser=True)
    client = client_from("10.0.0.4")
    for _ in range(3):
        client.post(login_path, {"username": admin.email, "password": "wrong"})
    client.post(login_path, {"username": admin.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    rate_limit_reset("login", f"{admin.email}|10.0.0.4")
    response = client.post(login_path, {"username": admin.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)


# --- Enquiries -----------------------------------------------------------------------------------------------


def enquire(client: Client, listing, organisation, mode: str):
    return client.post(
        reverse("negotiations:enquire", args=[listing.pk]),
        {"mode": mode, "buyer": organisation.pk, "message": "请介绍一下"},
    )


def test_too_many_enquiries_get_429_with_the_reason_and_open_nothing(small_limits, world, on_market):
    client = client_from("10.0.0.5")
    client.force_login(world.buyer)
    assert enquire(client, on_market, world.enterprise, "licence").status_code == 302
    assert enquire(client, on_market, world.enterprise, "transfer").status_code == 302
    response = enquire(client, on_market, world.enterprise, "equity")
    assert response.status_code == 429
    assert "too many enquiries" in response.text
    assert not Negotiation.objects.filter(mode="equity").exists()


def test_one_persons_enquiries_do_not_use_up_a_colleagues(small_limits, world, on_market):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=world.enterprise).user
    client = client_from("10.0.0.5")
    client.force_login(world.buyer)
    enquire(client, on_market, world.enterprise, "licence")
    enquire(client, on_market, world.enterprise, "transfer")
    client.force_login(colleague)
    assert enquire(client, on_market, world.enterprise, "equity").status_code == 302


def test_a_form_with_mistakes_does_not_count_as_an_enquiry(small_limits, world, on_market):
    client = client_from("10.0.0.5")
    client.force_login(world.buyer)
    for _ in range(3):
        assert enquire(client, on_market, world.enterprise, "no-such-mode").status_code == 400
    assert enquire(client, on_market, world.enterprise, "licence").status_code == 302


def test_guessing_the_password_on_the_account_closing_page_is_limited_like_logging_in(small_limits):
    person = UserFactory()
    client = client_from("198.51.100.7")
    client.force_login(person)
    for _attempt in range(3):
        client.post("/accounts/me/close/", {"password": "guess", "understood": "on"})
    refused = client.post("/accounts/me/close/", {"password": TEST_PASSWORD, "understood": "on"})
    assert refused.status_code == 200 and "Too many wrong passwords" in refused.text
    person.refresh_from_db()
    assert person.closed_at is None
    assert log_in(client_from("198.51.100.7"), person.email, TEST_PASSWORD).status_code == 429
