"""Rate limits kept in the cache (Redis when REDIS_URL is set, so every worker shares the counts).

One counter per scope and identity (``"login"`` and ``"<e-mail>|<ip>"``, ``"enquiry"`` and ``"user:<id>"``)
lives for the scope's window, counted from the first event in it: ``settings.RATE_LIMITS[scope]`` says how many
events the window allows. A fixed window from the first event is simple and enough here; the counts are a
brake on guessing passwords and on spam, not an accounting.

    if rate_limited("enquiry", f"user:{user.pk}"):      # counts this enquiry, says whether it is one too many
        ...
    if rate_limited("login", identity, record=False):   # only asks: would one more attempt be too many?
        ...
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

KEY_PREFIX = "ratelimit"


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.seconds // 60))


def limit_for(scope: str) -> Limit:
    configured = settings.RATE_LIMITS[scope]
    return Limit(count=int(configured["count"]), seconds=int(configured["seconds"]))


def _key(scope: str, identity: str) -> str:
    # Hashed: an identity holds an e-mail address and an IP, which have no business in cache key listings, and
    # may hold characters memcached-style backends refuse.
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{scope}:{digest}"


def rate_limited(scope: str, identity: str, *, record: bool = True) -> bool:
    """Whether `identity` has used up what `scope` allows in the current window.

    With `record` (the default) this call is one event: it is counted first, and the answer is whether it went
    over the limit. With ``record=False`` nothing is counted and the answer is whether one more event would.
    """
    limit = limit_for(scope)
    key = _key(scope, identity)
    if not record:
        return cache.get(key, 0) >= limit.count
    # add() starts the window only if there is none; incr() keeps the window's expiry (locmem and Redis alike).
    cache.add(key, 0, timeout=limit.seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr(): this event starts a new one
        cache.set(key, 1, timeout=limit.seconds)
        count = 1
    return count > limit.count


def rate_limit_reset(scope: str, identity: str) -> None:
    """Forget the events of `identity` in `scope` (a correct password clears the failures before it)."""
    cache.delete(_key(scope, identity))
