import math

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.models import SecondFactorEvent, SecondFactorEventKind, User
from marketplace.accounts.selectors import authenticator_being_set_up, authenticator_of, recovery_codes_of
from marketplace.background.mail import mail_queue
from marketplace.core.ratelimit import rate_limited


def user_create(*, email: str, password: str, display_name: str = "", phone: str = "") -> User:
    user = User(email=email.strip().lower(), display_name=display_name.strip(), phone=phone.strip())
    user.set_password(password)
    user.full_clean(exclude=["password", "username"])
    user.save()
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
    subject = gettext("Unlock your account")
    body = render_to_string("accounts/unlock_email.txt", {"link": link})
    mail_queue(EmailMessage(subject, body, to=[user.email]))  # delivered by the task runner


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
