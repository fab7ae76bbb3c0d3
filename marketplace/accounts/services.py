from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from marketplace.accounts.models import User
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
