"""Organisation API tokens on the open API (config.api): who a request is, what it may do, and creates that a
retrying system cannot make twice.

    @router.post("", auth=OrganisationToken(ApiScope.LISTINGS_WRITE))
    def create(request, payload):
        organisation, actor = request.auth.organisation, request.auth.actor

A token is sent as ``Authorization: Bearer ipx_…``. An unknown, revoked or orphaned token is refused with 401 and
the reason (ApiTokenRefused); a token without the operation's scope with 403 (ApiScopeMissing); a token past its
rate limit (settings.RATE_LIMITS["api_token"], per token) with 429 and Retry-After (ApiRateLimited). config.api
turns these into answers. Only a bearer token authenticates here: a browser's session cookie is ignored, so a page
on another site cannot borrow a signed-in person's session (no CSRF), and these operations need no CSRF token.
"""

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from marketplace.centres.selectors import NO_SCOPE
from marketplace.core.ratelimit import limit_for, rate_limited
from marketplace.organisations.models import ApiIdempotencyKey, ApiScope, ApiToken, Membership, Organisation
from marketplace.organisations.services import api_token_hash

RATE_LIMIT_SCOPE = "api_token"
# last_used_at is written at most this often per token: enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)
IDEMPOTENCY_KEY_HOURS = 24
IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotency_key_parameter(thing: str) -> dict:
    """The Idempotency-Key header as the OpenAPI document describes it on a create operation of `thing`."""
    return {
        "parameters": [
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 255},
                "description": (
                    f"Any unique string (a UUID) per {thing} to create. Sent again with the same body within "
                    f"{IDEMPOTENCY_KEY_HOURS} hours, it answers the first answer again and creates nothing; with "
                    "another body it is refused (422)."
                ),
            }
        ]
    }


class ApiTokenRefused(Exception):
    """401: no token, or one that does not (or no longer) authenticates anybody. The message says which."""


class ApiScopeMissing(Exception):
    """403: the token is good, but was not issued for this kind of operation."""


class ApiRateLimited(Exception):
    """429: the token sent more requests than its window allows; `retry_after` seconds at most until the next."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class TokenAuthentication:
    """What a request authenticated by a token carries as ``request.auth``."""

    token: ApiToken
    organisation: Organisation
    actor: object  # token_actor(token): the creator, acting as a member of this organisation only


def token_actor(token: ApiToken):
    """The user the services see when a token acts: the person who created it (so the audit trail names someone
    accountable), limited to membership of the token's organisation. Their other organisations and any centre
    staff role they hold stay out of it: the services' role checks (listings' and demands' `actor_roles`) read
    `organisation_ids_of` and `staff_scope`, and both keep their per-request answer on the user object, which is
    set here. A fresh object per request, so nothing of it leaks into another."""
    actor = get_user_model().objects.get(pk=token.created_by_id)
    actor._organisation_ids = {token.organisation_id}
    actor._staff_scope = NO_SCOPE
    return actor


class OrganisationToken(HttpBearer):
    """Bearer authentication by an organisation's API token, for operations that need one of `scopes`."""

    openapi_bearerFormat = "ipx_<43 characters>"
    openapi_description = (
        "An organisation's API token, created by one of its administrators on the organisation's page "
        "(/organisations/<id>/api-tokens/) and shown once. Send it as `Authorization: Bearer ipx_…`. Each "
        "operation names the scope it needs (listings:write, demands:write or read). Unknown or revoked tokens "
        "get 401, a token without the scope 403, more requests than the token's rate limit 429 with Retry-After."
    )

    def __init__(self, *scopes: str):
        self.scopes = frozenset(scopes)
        super().__init__()

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header, "")
        scheme, _space, secret = header.partition(" ")
        if not header or scheme.lower() != "bearer" or not secret.strip():
            raise ApiTokenRefused(
                _("Send the organisation's API token in the Authorization header: “Authorization: Bearer ipx_…”.")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> TokenAuthentication:
        found = (
            ApiToken.objects.select_related("organisation", "organisation__centre")
            .filter(secret_hash=api_token_hash(token))
            .first()
        )
        if found is None:
            raise ApiTokenRefused(_("This API token is not known. Check that it was copied whole."))
        if found.revoked_at is not None:
            raise ApiTokenRefused(
                _("This API token was revoked on %(date)s. An administrator of the organisation can create a new one.")
                % {"date": timezone.localtime(found.revoked_at).strftime("%Y-%m-%d %H:%M")}
            )
        still_member = Membership.objects.filter(
            organisation_id=found.organisation_id, user_id=found.created_by_id, user__is_active=True
        ).exists()
        if not still_member:
            raise ApiTokenRefused(
                _(
                    "The person who created this API token no longer belongs to the organisation, so the token no "
                    "longer works. An administrator of the organisation can create a new one."
                )
            )
        if rate_limited(RATE_LIMIT_SCOPE, f"token:{found.pk}"):
            limit = limit_for(RATE_LIMIT_SCOPE)
            raise ApiRateLimited(
                _("This API token sent more than %(count)s requests in %(seconds)s seconds. Wait and try again.")
                % {"count": limit.count, "seconds": limit.seconds},
                retry_after=limit.seconds,
            )
        if self.scopes and not self.scopes & set(found.scopes):
            needed = " / ".join(sorted(self.scopes))
            raise ApiScopeMissing(
                _("This API token may not do this: it needs the scope %(scope)s.") % {"scope": needed}
            )
        _mark_used(found)
        return TokenAuthentication(token=found, organisation=found.organisation, actor=token_actor(found))


def _mark_used(token: ApiToken) -> None:
    now = timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)


# --- Idempotent creates ------------------------------------------------------------------------------------------


class IdempotencyConflict(Exception):
    """409: a request with this key is still being handled (the retry came before the first one finished)."""


def _fingerprint(request: HttpRequest) -> str:
    body = request.body
    # The same JSON written with other spacing or key order is the same request.
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(part + b"\0")
    return digest.hexdigest()


def idempotency_key_of(request: HttpRequest) -> str:
    """The request's Idempotency-Key, checked: "" when none was sent."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if key and (len(key) > 255 or not key.isascii() or not key.isprintable()):
        raise ValidationError(
            {IDEMPOTENCY_HEADER: _("An idempotency key is 1 to 255 printable ASCII characters, e.g. a UUID.")}
        )
    return key


def created_once(
    request: HttpRequest, organisation: Organisation, create: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """Run `create` (which answers a status and a JSON-ready body) once per Idempotency-Key of the organisation.

    Returns the status, the body and whether it is a replay. Without a key, `create` simply runs. With a key seen
    before for the same request, the first answer is given again and nothing is created; the same key with another
    request is refused (a ValidationError on the header). The key's row is written in the same transaction as what
    `create` writes, so a refused create (bad data) leaves no key behind and can be retried with corrected data,
    and two requests racing with one key wait for each other on the unique constraint: one creates, the other
    replays."""
    key = idempotency_key_of(request)
    if not key:
        status, body = create()
        return status, body, False
    fingerprint = _fingerprint(request)
    with transaction.atomic():
        cutoff = timezone.now() - timedelta(hours=IDEMPOTENCY_KEY_HOURS)
        ApiIdempotencyKey.objects.filter(organisation=organisation, created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                record = ApiIdempotencyKey.objects.create(organisation=organisation, key=key, fingerprint=fingerprint)
        except IntegrityError:
            record = ApiIdempotencyKey.objects.get(organisation=organisation, key=key)
            if record.fingerprint != fingerprint:
                raise ValidationError(
                    {
                        IDEMPOTENCY_HEADER: _(
                            "This idempotency key was already used for another request: use a new key for a new item."
                        )
                    }
                ) from None
            if record.status_code is None:
                raise IdempotencyConflict(_("A request with this idempotency key is still being handled.")) from None
            return record.status_code, record.response, True
        status, body = create()
        record.status_code, record.response = status, body
        record.save(update_fields=["status_code", "response"])
    return status, body, False


__all__ = [
    "ApiRateLimited",
    "ApiScope",
    "ApiScopeMissing",
    "ApiTokenRefused",
    "IdempotencyConflict",
    "OrganisationToken",
    "TokenAuthentication",
    "created_once",
    "token_actor",
]
