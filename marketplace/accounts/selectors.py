"""Reads about accounts: who must pass a second step at log-in, and what they have set up for it."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def second_factor_required(user) -> bool:
    """Whether this person must pass the second step: Django staff and superusers (the admin sites) and the
    people of the operation centres (brokers and centre administrators confirm money and verify organisations).
    Asked afresh for each request, so someone made a broker is held at the second step at once."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # By the reverse accessor of centres.CentreStaff: the accounts app does not import the centres app.
    return user.centre_roles.exists()


def authenticator_of(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def authenticator_being_set_up(user) -> TOTPDevice | None:
    """The authenticator the person has been shown but not yet confirmed with a code."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()


def recovery_codes_of(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    device = recovery_codes_of(user)
    return device.token_set.count() if device is not None else 0


def session_second_factor_passed(user, session) -> bool:
    """What django-otp's middleware decides for a request, for a socket: the session names a confirmed device of
    this very user. A reset (the device deleted) undoes it for every session at once."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id or not user.is_authenticated:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed
