"""Two-step log-in for staff and brokers, from the user's side: the password, then a code from an authenticator
app (or a recovery code), enforced on every request and every socket until it is passed.

Codes are computed here as the phone would, from the device's key (django_otp.oath)."""

import re
import time
from base64 import b32encode

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.asgi import application
from marketplace.accounts.models import SecondFactorEvent, SecondFactorEventKind
from marketplace.accounts.selectors import authenticator_of, recovery_codes_left
from marketplace.accounts.services import second_factor_reset
from marketplace.organisations.models import Organisation
from tests.factories import TEST_PASSWORD, UserFactory, authenticator_for, sign_in

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-step/set-up/"
CODE_STEP = "/accounts/two-step/code/"
RECOVERY_CODES = "/accounts/two-step/recovery-codes/"
BROKER_PAGES = ("/patents/moderation/", "/organisations/verification/", "/payments/attention/", "/indicators/deals/")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def log_in_with_password(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.text
    return response


def code_now(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the authenticator app shows (or will show `steps_ahead` periods from now: a code already used is
    refused, and the device accepts the next period's code too)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():0{device.digits}d}"


def code_already_used(device: TOTPDevice) -> str:
    """The code the device accepted last: never accepted again."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = device.t0 + device.last_t * device.step
    return f"{generator.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code the app does not show in this period, the one before or the one after."""
    near = {code_now(device, steps_ahead) for steps_ahead in (-1, 0, 1)}
    return next(f"{guess:06d}" for guess in range(1_000_000) if f"{guess:06d}" not in near)


def set_up_authenticator(client, user) -> tuple[TOTPDevice, list[str]]:
    """The guided set-up, as the broker does it: open the page, type the code the app shows, read the codes."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_now(device), "next": "/patents/moderation/"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    client.post(response["Location"])  # "I have kept them"
    return TOTPDevice.objects.get(pk=device.pk), codes


# --- Held at the second step ----------------------------------------------------------------------------------


def test_a_broker_who_logs_in_with_the_password_only_is_sent_to_set_up_an_authenticator(client, world):
    response = log_in_with_password(client, world.ningbo_broker)
    assert response["Location"] == f"{SETUP}?next=%2Fworkspace%2F"
    for page in BROKER_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(SETUP), page


def test_a_session_held_at_the_second_step_changes_nothing_and_opens_no_admin(client, world):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    log_in_with_password(client, superuser)
    for page in ("/cms/", "/cms/pages/", "/django-admin/", "/django-admin/accounts/user/", "/workspace/", "/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), page
    unverified = Organisation.objects.filter(verified=False).first() or world.university
    Organisation.objects.filter(pk=unverified.pk).update(verified=False)
    response = client.post(f"/organisations/{unverified.pk}/verify/", {"verified": "1"})
    assert response["Location"] == SETUP  # a form posted meanwhile is not replayed after the step
    assert not Organisation.objects.get(pk=unverified.pk).verified


def test_a_broker_with_an_authenticator_is_asked_for_its_code_and_nothing_else_opens(client, world):
    authenticator_for(world.ningbo_broker)
    response = log_in_with_password(client, world.ningbo_broker)
    assert response["Location"] == f"{CODE_STEP}?next=%2Fworkspace%2F"
    response = client.get("/patents/moderation/")
    assert response["Location"] == f"{CODE_STEP}?next=%2Fpatents%2Fmoderation%2F"
    assert client.get(SETUP)["Location"].startswith(CODE_STEP)  # no second authenticator behind the first's back
    # The page does not open the notifications socket, which refuses a session held here.
    assert "notifications" not in client.get(CODE_STEP).text


def test_logging_out_works_while_held_at_the_second_step(client, world):
    log_in_with_password(client, world.ningbo_broker)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/patents/moderation/")["Location"].startswith("/accounts/login/")


def test_a_member_logs_in_without_a_second_step(client, world):
    response = log_in_with_password(client, world.buyer)
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200
    assert client.get(CODE_STEP)["Location"] == "/workspace/"
    assert client.get(SETUP)["Location"] == "/workspace/"
    assert not TOTPDevice.objects.filter(user=world.buyer).exists()


# --- Setting up -----------------------------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_drawn_here_and_the_key_as_text(english, world):
    log_in_with_password(english, world.ningbo_broker)
    page = english.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=world.ningbo_broker, confirmed=False)
    secret = page.text.split("data-secret-key>")[1].split("<")[0].replace(" ", "")
    assert secret == b32encode(device.bin_key).decode()
    assert "<svg" in page.text and "<path" in page.text
    assert "http" not in page.text.split('class="qr-code"')[1].split("</div>")[0].replace("http://www.w3.org", "")
    # The same key on the next visit: a code already scanned stays good until it is confirmed.
    assert english.get(SETUP).text.count(page.text.split("data-secret-key>")[1].split("<")[0]) == 1
    assert TOTPDevice.objects.filter(user=world.ningbo_broker).count() == 1


def test_setting_up_with_a_wrong_code_fails_and_with_the_right_one_shows_ten_recovery_codes(english, world):
    broker = world.ningbo_broker
    log_in_with_password(english, broker)
    english.get(SETUP)
    device = TOTPDevice.objects.get(user=broker, confirmed=False)
    response = english.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert authenticator_of(broker) is None
    assert english.get("/patents/moderation/")["Location"].startswith(SETUP)

    time.sleep(1.1)  # one wrong code makes the next try wait a second
    response = english.post(SETUP, {"code": code_now(device), "next": "/patents/moderation/"})
    assert response["Location"] == f"{RECOVERY_CODES}?next=%2Fpatents%2Fmoderation%2F"
    page = english.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    assert len(set(codes)) == 10
    assert "Download as a text file" in page.text
    download = english.get("/accounts/two-step/recovery-codes.txt")
    assert download["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'
    assert all(code in download.text for code in codes)

    response = english.post(RECOVERY_CODES, {"next": "/patents/moderation/"})
    assert response["Location"] == "/patents/moderation/"
    assert english.get("/patents/moderation/").status_code == 200
    # Shown once: after "I have kept them", neither the page nor the file gives them again.
    assert english.get(RECOVERY_CODES).status_code == 302
    assert english.get("/accounts/two-step/recovery-codes.txt").status_code == 404
    assert SecondFactorEvent.objects.filter(user=broker, kind=SecondFactorEventKind.ENROLLED).count() == 1


# --- Logging in again -----------------------------------------------------------------------------------------


def test_the_next_login_asks_for_a_code_and_a_recovery_code_works_once(english, world):
    broker = world.ningbo_broker
    log_in_with_password(english, broker)
    device, codes = set_up_authenticator(english, broker)
    english.post("/accounts/logout/")

    log_in_with_password(english, broker)
    assert english.get("/patents/moderation/")["Location"].startswith(CODE_STEP)
    assert english.post(CODE_STEP, {"code": code_already_used(device)}).status_code == 200
    time.sleep(1.1)
    response = english.post(CODE_STEP, {"code": code_now(device, steps_ahead=1), "next": "/patents/moderation/"})
    assert response["Location"] == "/patents/moderation/"
    assert english.get("/patents/moderation/").status_code == 200
    english.post("/accounts/logout/")

    log_in_with_password(english, broker)
    response = english.post(CODE_STEP, {"code": codes[0].upper()[:4] + " " + codes[0][4:], "next": "/workspace/"})
    assert response["Location"] == "/workspace/"
    assert "You used a recovery code" in english.get("/workspace/").text
    assert recovery_codes_left(broker) == 9
    english.post("/accounts/logout/")

    log_in_with_password(english, broker)
    response = english.post(CODE_STEP, {"code": codes[0]})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert english.get("/patents/moderation/")["Location"].startswith(CODE_STEP)


def test_wrong_codes_in_a_row_make_the_next_try_wait_even_with_the_right_code(english, world):
    broker = world.ningbo_broker
    device = authenticator_for(broker)
    log_in_with_password(english, broker)
    assert english.post(CODE_STEP, {"code": wrong_code(device)}).status_code == 200
    response = english.post(CODE_STEP, {"code": code_now(device)})
    assert response.status_code == 429
    assert "Too many wrong codes in a row" in response.text
    assert english.get("/patents/moderation/")["Location"].startswith(CODE_STEP)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the refused try was not even checked


def test_the_session_key_changes_at_the_second_step_so_a_key_taken_between_the_steps_opens_nothing(world):
    broker = world.ningbo_broker
    device = authenticator_for(broker)
    owner = Client()
    log_in_with_password(owner, broker)
    taken = owner.cookies[settings.SESSION_COOKIE_NAME].value
    owner.post(CODE_STEP, {"code": code_now(device)})
    assert owner.cookies[settings.SESSION_COOKIE_NAME].value != taken
    assert owner.get("/patents/moderation/").status_code == 200

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = taken
    assert thief.get("/patents/moderation/")["Location"].startswith("/accounts/login/")


async def socket_outcome(cookie: str) -> str:
    headers = [(b"origin", b"http://testserver"), (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, code = await communicator.connect(timeout=3)
    if not connected:
        return str(code)
    if await communicator.receive_nothing(timeout=0.2):
        await communicator.disconnect()
        return "open"
    return str((await communicator.receive_output(timeout=1)).get("code"))


@pytest.mark.django_db(transaction=True)
async def test_a_socket_of_a_session_held_at_the_second_step_is_refused_as_signed_out(world):
    held, passed = Client(), Client()
    await sync_to_async(log_in_with_password)(held, world.ningbo_broker)
    await sync_to_async(sign_in)(passed, world.ningbo_broker)
    assert await socket_outcome(held.cookies[settings.SESSION_COOKIE_NAME].value) == "4401"
    assert await socket_outcome(passed.cookies[settings.SESSION_COOKIE_NAME].value) == "open"


# --- Recovery codes and resets -------------------------------------------------------------------------------


def test_new_recovery_codes_need_a_fresh_code_from_the_app_and_retire_the_old_ones(english, world):
    broker = world.ningbo_broker
    log_in_with_password(english, broker)
    device, old_codes = set_up_authenticator(english, broker)

    response = english.post("/accounts/two-step/", {"code": old_codes[1]})
    assert response.status_code == 200  # a recovery code is not a fresh code from the app
    assert recovery_codes_left(broker) == 10
    time.sleep(1.1)
    response = english.post("/accounts/two-step/", {"code": code_now(device, steps_ahead=1)})
    assert response["Location"] == RECOVERY_CODES
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", english.get(RECOVERY_CODES).text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert set(StaticDevice.objects.get(user=broker).token_set.values_list("token", flat=True)) == set(new_codes)
    assert SecondFactorEvent.objects.filter(user=broker, kind=SecondFactorEventKind.RECOVERY_CODES_RENEWED).exists()


def test_staff_reset_a_lost_authenticator_which_is_recorded_and_ends_its_sessions(world):
    broker = world.ningbo_broker
    broker_client = sign_in(Client(), broker)
    assert broker_client.get("/patents/moderation/").status_code == 200
    superuser = UserFactory(is_staff=True, is_superuser=True)
    staff_client = sign_in(Client(), superuser)

    response = staff_client.post(
        "/django-admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [broker.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=broker).exists()
    event = SecondFactorEvent.objects.get(user=broker, kind=SecondFactorEventKind.RESET)
    assert event.actor == superuser
    # The broker's session named the device that is gone: held at the step again, to set up a new one.
    assert broker_client.get("/patents/moderation/")["Location"].startswith(SETUP)


def test_only_staff_who_may_change_accounts_reset_a_second_factor(world):
    authenticator_for(world.ningbo_broker)
    with pytest.raises(PermissionDenied):
        second_factor_reset(user=world.ningbo_broker, actor=world.root_staff)
    assert authenticator_of(world.ningbo_broker) is not None


def test_the_device_admin_pages_of_django_otp_are_not_offered():
    # They would let staff read a key, or plant one with a key of their choosing, unrecorded.
    assert TOTPDevice not in admin.site._registry
    assert StaticDevice not in admin.site._registry


def test_the_admin_sites_open_once_the_second_step_is_passed(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, superuser)
    assert client.get("/cms/users/").status_code == 200
    assert client.get("/django-admin/").status_code == 200
