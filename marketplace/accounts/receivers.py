"""Count failed logins for the throttle (marketplace.accounts.backends); a successful one clears the account's."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from marketplace.accounts.backends import clear_account_failures, count_login_failure


def _username(credentials: dict) -> str | None:
    return credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)


@receiver(user_login_failed, dispatch_uid="accounts.count_login_failure")
def login_failed(sender, credentials, request=None, **kwargs):
    username = _username(credentials)
    if username:
        count_login_failure(request, username)


@receiver(user_logged_in, dispatch_uid="accounts.clear_login_failures")
def clear_login_failures(sender, request, user, **kwargs):
    clear_account_failures(request, user.get_username())
