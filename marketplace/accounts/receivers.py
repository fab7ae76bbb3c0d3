"""Count failed logins for the throttle (marketplace.accounts.backends); a successful one clears the count."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from marketplace.accounts.backends import LOGIN_SCOPE, login_identity
from marketplace.core.ratelimit import rate_limit_reset, rate_limited


def _username(credentials: dict) -> str | None:
    return credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)


@receiver(user_login_failed, dispatch_uid="accounts.count_login_failure")
def count_login_failure(sender, credentials, request=None, **kwargs):
    username = _username(credentials)
    if username:
        rate_limited(LOGIN_SCOPE, login_identity(request, username))


@receiver(user_logged_in, dispatch_uid="accounts.clear_login_failures")
def clear_login_failures(sender, request, user, **kwargs):
    rate_limit_reset(LOGIN_SCOPE, login_identity(request, user.get_username()))
