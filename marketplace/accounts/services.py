from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.accounts.backends import ACCOUNT_SCOPE
from marketplace.accounts.models import PrivacyConsent, User
from marketplace.accounts.selectors import account_closure_obstacles, privacy_notice_version
from marketplace.accounts.signals import account_closing
from marketplace.background.mail import mail_queue
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


def user_profile_update(*, user: User, display_name: str, phone: str) -> User:
    """The person corrects their name or phone number (PIPL art. 46). The e-mail address is their login and is
    changed by writing to the privacy contact."""
    user.display_name = display_name.strip()
    user.phone = phone.strip()
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["display_name", "phone"])
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
    subject = gettext("Unlock your account")
    body = render_to_string("accounts/unlock_email.txt", {"link": link})
    mail_queue(EmailMessage(subject, body, to=[user.email]))  # delivered by the task runner


def unlock_token_email(token: str) -> str | None:
    """The address an unlock link was sent to, or None when the link is forged or older than an hour."""
    try:
        return signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_LINK_SECONDS)
    except signing.BadSignature:
        return None
