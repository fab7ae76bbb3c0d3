"""Reads about a person's account: who must pass a second step at log-in and what they have set up for it;
consent to the privacy notice, the copy of their personal data, and what stands in the way of closing the
account."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.models import PrivacyConsent, User
from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.accounts.signals import account_closure_checked, personal_data_requested
from marketplace.background.selectors import mail_addressed_to


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


def privacy_notice_version() -> str:
    return settings.PRIVACY_NOTICE_VERSION


def consented_notice_version(user: User) -> str | None:
    """The version of the privacy notice the person last agreed to, or None if they never did."""
    return (
        PrivacyConsent.objects.filter(user=user)
        .order_by("-accepted_at", "-id")
        .values_list("notice_version", flat=True)
        .first()
    )


def consents_of(user: User):
    return PrivacyConsent.objects.filter(user=user).order_by("-accepted_at", "-id")


def _account_sections(user: User) -> list[PersonalDataSection]:
    account = {
        "id": user.pk,
        "email": user.email,
        "name": user.display_name,
        "phone": user.phone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }
    consents = [
        {"notice_version": consent.notice_version, "accepted_at": consent.accepted_at, "ip_address": consent.ip_address}
        for consent in consents_of(user)
    ]
    mail = [
        {"subject": message.subject, "queued_at": message.created_at, "sent_at": message.sent_at}
        for message in mail_addressed_to(user.email)
    ]
    return [
        PersonalDataSection("accounts.account", _("Your account"), [account]),
        PersonalDataSection("accounts.privacy_consents", _("Your consents to the privacy notice"), consents),
        PersonalDataSection("accounts.mail", _("Mail the platform sent you"), mail),
    ]


def personal_data_export(user: User) -> dict:
    """Everything the platform holds about the person, as one JSON-ready document: the account's own sections,
    then each app's (accounts.signals.personal_data_requested), ordered by key so two copies compare line by line.
    """
    sections = _account_sections(user)
    contributed = []
    for _receiver, answer in personal_data_requested.send(sender=User, user=user):
        contributed.extend(answer or [])
    sections += sorted(contributed, key=lambda section: section.key)
    return {
        "platform": str(settings.PLATFORM_NAME),
        "generated_at": timezone.now(),
        "privacy_notice_version": privacy_notice_version(),
        "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
        "sections": [section.as_dict() for section in sections],
    }


def account_closure_obstacles(user: User) -> list[str]:
    """Why the account cannot be closed now, in words for the person: every app may have a reason
    (accounts.signals.account_closure_checked). Empty when it can be closed."""
    reasons = []
    for _receiver, answer in account_closure_checked.send(sender=User, user=user):
        reasons.extend(str(reason) for reason in answer or [])
    return reasons
