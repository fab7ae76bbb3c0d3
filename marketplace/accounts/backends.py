"""Logging in by e-mail and password, behind a throttle that every login form shares (ours, the CMS's and
django-admin's): while a limit applies, the form is refused before the password is even checked.

Failures are counted three ways, each in its own window (settings.RATE_LIMITS):

- ``login``: one account from one address — someone guessing a password;
- ``login_account``: one account from any address — the same guessing spread over many addresses;
- ``login_address``: any account from one address — password spraying, one common password tried on many
  accounts.

These are the cases django-axes covers with its lock-out parameters (username, address, both), with the counts
in the shared cache rather than a table. An account locked by someone else's guessing can be unlocked by its
owner through a link sent by mail (accounts.views.unlock_request); a correct password, a password reset or that
link clears the account's failures.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from marketplace.core.ratelimit import limit_for, rate_limit_reset, rate_limited

LOGIN_SCOPE = "login"
ACCOUNT_SCOPE = "login_account"
ADDRESS_SCOPE = "login_address"


def client_address(request) -> str:
    # REMOTE_ADDR is the peer the ASGI server reports; behind the TLS proxy, uvicorn's --proxy-headers (with
    # --forwarded-allow-ips set to the proxy) makes it the visitor's. X-Forwarded-For itself is never trusted here.
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def _account(username: str | None) -> str:
    return (username or "").strip().lower()


def login_identities(request, username: str | None) -> dict[str, str]:
    """What one failure counts against, scope by scope: the account as typed (case-insensitive), the address."""
    account, address = _account(username), client_address(request)
    return {LOGIN_SCOPE: f"{account}|{address}", ACCOUNT_SCOPE: account, ADDRESS_SCOPE: address}


def login_blocking_scope(request, username: str | None) -> str | None:
    """The first limit that applies to this login, or None."""
    for scope, identity in login_identities(request, username).items():
        if rate_limited(scope, identity, record=False):
            return scope
    return None


def login_blocked(request, username: str | None) -> bool:
    return login_blocking_scope(request, username) is not None


def count_login_failure(request, username: str | None) -> None:
    for scope, identity in login_identities(request, username).items():
        rate_limited(scope, identity)


def clear_account_failures(request, username: str) -> None:
    """The account's own failures, from this address and from anywhere; never the address's (a sprayer's
    address stays blocked whoever proves an account of their own)."""
    identities = login_identities(request, username)
    rate_limit_reset(LOGIN_SCOPE, identities[LOGIN_SCOPE])
    rate_limit_reset(ACCOUNT_SCOPE, identities[ACCOUNT_SCOPE])


def blocked_minutes(scope: str) -> int:
    return limit_for(scope).minutes


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the login throttle. Failures are counted by accounts.receivers."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and login_blocked(request, username):
            # PermissionDenied makes Django's authenticate() give up at once: no password is checked.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
