"""Logging in by e-mail and password, with a throttle: while an account has failed too often from one address,
every login form (ours, the CMS's, django-admin's) is refused before the password is even checked."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from marketplace.core.ratelimit import rate_limited

LOGIN_SCOPE = "login"


def client_address(request) -> str:
    # REMOTE_ADDR is the peer the ASGI server reports; behind the TLS proxy, uvicorn's --proxy-headers (with
    # --forwarded-allow-ips set to the proxy) makes it the visitor's. X-Forwarded-For itself is never trusted here.
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def login_identity(request, username: str | None) -> str:
    """What failures are counted against: the account name as typed (case-insensitive) and the address."""
    return f"{(username or '').strip().lower()}|{client_address(request)}"


def login_blocked(request, username: str | None) -> bool:
    return rate_limited(LOGIN_SCOPE, login_identity(request, username), record=False)


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the login throttle. Failures are counted by accounts.receivers."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and login_blocked(request, username):
            # PermissionDenied makes Django's authenticate() give up at once: no password is checked.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
