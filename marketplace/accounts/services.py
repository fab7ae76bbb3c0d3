import math

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.backends import ACCOUNT_SCOPE
from marketplace.accounts.models import PrivacyConsent, SecondFactorEvent, SecondFactorEventKind, User
from marketplace.accounts.selectors import (
    account_closure_obstacles,
    authenticator_being_set_up,
    authenticator_of,
    privacy_notice_version,
    recovery_codes_of,
)
from marketplace.accounts.signals import account_closing
from marketplace.accounts.tasks import mail_unlock_link
from marketplace.background.selectors import mail_addressed_to
from marketplace.background.services import mail_forget_address
from marketplace.core.ratelimit import rate_limit_reset, rate_limited


def user_create(*, email: str, password: str, display_name: str = "", phone: str = "") -> User:
    user = User(email=email.strip().lower(), display_name=display_name.strip(), phone=phone.strip())
    user.set_password(password)
    user.full_clean(exclude=["password", "username"])
    user.save()
    return user


@transaction.atomic
def user_sign_up(
    *, email: str, password: str, display_name: str = "", phone: str = "", ip_address: str | None = None
) -> User:
    """A person signs up, having agreed to the privacy notice on the form: the account and the consent to the
    current version of the notice are recorded together."""
    user = user_create(email=email, password=password, display_name=display_name, phone=phone)
    privacy_consent_record(user=user, ip_address=ip_address)
    return user


def user_profile_update(*, user: User, display_name: str, phone: str, time_zone: str = "") -> User:
    """The person corrects their name or phone number (PIPL art. 46), or chooses the time zone they read times in.
    The e-mail address is their login and is changed by writing to the privacy contact."""
    user.display_name = display_name.strip()
    user.phone = phone.strip()
    if time_zone:
        user.time_zone = time_zone
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["display_name", "phone", "time_zone"])
    return user


# --- Privacy: consent and closing the account ------------------------------------------------------------------


def privacy_consent_record(*, user: User, ip_address: str | None) -> PrivacyConsent:
    """Record that the person agreed to the privacy notice in force (settings.PRIVACY_NOTICE_VERSION), when and
    from which address."""
    consent = PrivacyConsent(user=user, notice_version=privacy_notice_version(), ip_address=ip_address or None)
    consent.full_clean()
    consent.save()
    return consent


CLOSED_EMAIL_DOMAIN = "closed.invalid"  # RFC 2606: a domain that can never receive mail


def closed_email(user: User) -> str:
    return f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}"


@transaction.atomic
def account_close(*, user: User, password: str) -> User:
    """Close the person's account at their request (PIPL art. 47), confirmed with their password.

    Every app first does its part (accounts.signals.account_closing): memberships and staff roles end, saved
    searches and saved cards go, and the address leaves the mail queue (sent mail included). Deals, contracts,
    negotiation messages, payments and ledger entries stay, as the law on contracts and accounting requires; they
    point at this row, which from now on says only "Closed account". The account itself keeps no name, phone or
    address: its e-mail becomes a placeholder that can never log in or receive mail (so the address is free for
    a new account), its password becomes unusable, and it is inactive, which also ends every session it had. The
    consents stay as evidence.

    Refused, with the reasons, while an app sees a reason to wait (the last administrator of an organisation).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.closed_at is not None:
        raise ValidationError(gettext("This account is already closed."))
    if not user.check_password(password):
        raise ValidationError({"password": gettext("The password is not correct.")})
    obstacles = account_closure_obstacles(user)
    if obstacles:
        raise ValidationError(obstacles)
    old_email = user.email
    account_closing.send(sender=User, user=user)
    mail_forget_address(mails=mail_addressed_to(old_email), email=old_email)
    user.email = user.username = closed_email(user)
    user.display_name = user.phone = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.closed_at = timezone.now()
    user.full_clean(exclude=["password", "username"])
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # The authenticator's key and the recovery codes are the person's secrets, of no use to anyone once they go.
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # The failed-login count kept for the old address (it is the address, not this row, that counts).
    transaction.on_commit(lambda: rate_limit_reset(ACCOUNT_SCOPE, old_email))
    return user


# --- Unlocking an account locked by failed logins --------------------------------------------------------------

UNLOCK_SALT = "accounts.unlock"
UNLOCK_LINK_SECONDS = 3600


def unlock_link_send(*, email: str, request) -> None:
    """Mail an unlock link to the account using this address, if there is one (at most a few per hour: each is
    a mail in that person's inbox); nothing otherwise, and the caller cannot tell which."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or rate_limited("unlock_mail", email):
        return
    token = signing.dumps(user.email, salt=UNLOCK_SALT)
    link = request.build_absolute_uri(reverse("accounts:unlock", args=[token]))
    mail_unlock_link.enqueue(email=user.email, link=link, language=translation.get_language())


def unlock_token_email(token: str) -> str | None:
    """The address an unlock link was sent to, or None when the link is forged or older than an hour."""
    try:
        return signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_LINK_SECONDS)
    except signing.BadSignature:
        return None


# --- The second step at log-in: an authenticator app and recovery codes ------------------------------------------

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator app"
RECOVERY_CODES_NAME = "recovery codes"


class WrongCode(ValidationError):
    def __init__(self):
        super().__init__(
            gettext_lazy("That code is not right. Check the time on your phone and type the code it shows now."),
            code="wrong_code",
        )


class TooManyWrongCodes(ValidationError):
    """Wrong codes in a row make the next try wait: 1, 2, 4, 8 ... seconds (django-otp's throttling, per device),
    so that guessing a six-digit code is hopeless even for someone who has the password."""

    def __init__(self, locked_until):
        self.seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        super().__init__(
            gettext_lazy("Too many wrong codes in a row. Wait %(seconds)s seconds, then try again."),
            code="throttled",
            params={"seconds": self.seconds},
        )


def _normalised(code: str) -> str:
    # People type the spaces and dashes they see between groups, and recovery codes in capitals.
    return "".join(character for character in code if character.isalnum()).lower()


def _verify(device: Device, code: str) -> None:
    """The code against one device, under a row lock (two tries at once must not both pass, nor both be counted
    as one failure). Raises TooManyWrongCodes or WrongCode. The failure count is committed before the error is
    raised: a rolled-back count would throttle nothing."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = locked.verify_is_allowed()
        verified = allowed and locked.verify_token(code)
    if not allowed:
        raise TooManyWrongCodes(details["locked_until"])
    if not verified:
        raise WrongCode


def _record(*, user: User, actor: User | None, kind: str) -> None:
    event = SecondFactorEvent(user=user, actor=actor, kind=kind)
    event.full_clean()
    event.save()


def _recovery_codes_replace(*, user: User) -> list[str]:
    """A fresh set of recovery codes; the old ones stop working. Returns them in clear, to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    device.full_clean()
    device.save()
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def authenticator_setup_start(*, user: User) -> TOTPDevice:
    """The authenticator the person is setting up, with a new secret key the first time: the same one on every
    visit of the page after that, so a QR code already scanned stays good until it is confirmed."""
    if authenticator_of(user) is not None:
        raise ValidationError(gettext_lazy("You have already set up an authenticator app."), code="set_up")
    device = authenticator_being_set_up(user)
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def authenticator_setup_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code it shows now. Returns the device (which has just
    verified this session) and the person's recovery codes, in clear: shown once, never again."""
    device = authenticator_being_set_up(user)
    if device is None:
        raise ValidationError(gettext_lazy("Start setting up your authenticator app again."), code="not_started")
    _verify(device, _normalised(code))
    with transaction.atomic():
        device.refresh_from_db()
        device.confirmed = True
        device.full_clean()
        device.save()
        codes = _recovery_codes_replace(user=user)
        _record(user=user, actor=user, kind=SecondFactorEventKind.ENROLLED)
    return device, codes


def second_factor_check(*, user: User, code: str, recovery_code_allowed: bool = True) -> Device:
    """The device that accepts this code: the authenticator app for digits, the recovery codes otherwise (a
    recovery code is spent by its use). Each device counts its own wrong codes and slows down after them.
    Raises WrongCode or TooManyWrongCodes."""
    code = _normalised(code)
    if code.isdigit():
        device = authenticator_of(user)
    elif recovery_code_allowed:
        device = recovery_codes_of(user)
    else:
        device = None
    if device is None or not code:
        raise WrongCode
    _verify(device, code)
    return device


def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """New recovery codes in place of the old, against a code the person's authenticator app shows now (a
    session left open must not be enough to learn them). Returns them in clear, to be shown once."""
    second_factor_check(user=user, code=code, recovery_code_allowed=False)
    with transaction.atomic():
        codes = _recovery_codes_replace(user=user)
        _record(user=user, actor=user, kind=SecondFactorEventKind.RECOVERY_CODES_RENEWED)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, actor: User) -> None:
    """Remove a person's authenticator app and recovery codes, say after a lost phone: their next request asks
    them to set up a new one. Every session of theirs loses its second step at once (the device it named is
    gone). Only staff who may change accounts do this, and each reset is recorded with their name."""
    if not actor.has_perm("accounts.change_user"):
        raise PermissionDenied(gettext("You may not reset another person's second factor."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _record(user=user, actor=actor, kind=SecondFactorEventKind.RESET)
