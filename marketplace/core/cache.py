"""A Redis cache that a Redis outage cannot turn into an error page.

Everything the site keeps in the cache can be rebuilt or started again (Wagtail's site-root paths, facet counts,
rate-limit counts), so while Redis cannot be reached this backend answers from the process's own memory instead of
raising: connections time out quickly, a circuit breaker skips Redis for RETRY_SECONDS after a failure, and Redis
is used again once it answers (what was kept in memory meanwhile is not copied back).

    CACHES = {"default": {"BACKEND": "marketplace.core.cache.FallbackRedisCache", "LOCATION": "redis://...",
                          "OPTIONS": {"RETRY_SECONDS": 5, "socket_connect_timeout": 0.25}}}
"""

import threading
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from marketplace.core.circuit import CircuitBreaker


def redis_address(url: str) -> str:
    """host:port/db of a Redis URL, without the password it may carry (it goes into the log)."""
    parts = urlsplit(url.split(",")[0].split(";")[0])
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


DEFAULT_RETRY_SECONDS = 5.0
# Redis on the same network answers in well under a millisecond; a quarter of a second to connect and half a
# second for an answer bound what one attempt can cost a page.
DEFAULT_REDIS_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
FALLBACK_MAX_ENTRIES = 5000


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def shared_breaker(server: str, retry_seconds: float) -> CircuitBreaker:
    """One breaker per Redis for the whole process: Django makes a cache object per thread, and under ASGI each
    request's sync code runs in a thread of its own, so a breaker per object would let every request wait on
    Redis once."""
    with _breakers_lock:
        breaker = _breakers.get(server)
        if breaker is None:
            breaker = _breakers[server] = CircuitBreaker(
                f"The Redis cache at {redis_address(server)}", retry_seconds=retry_seconds
            )
        return breaker


_redis_caches: dict[tuple, RedisCache] = {}


def shared_redis_cache(server: str, params: dict) -> RedisCache:
    """One Redis client (and connection pool) per Redis and settings for the whole process, for the same reason:
    a client per cache object connected to Redis anew on every request, which cost a fifth of a loaded
    worker's time (bench/ws.py, profiled). redis-py's client and pool are safe to share between threads."""
    key = (server, repr(sorted(params.items(), key=lambda item: item[0])))
    with _breakers_lock:
        cache = _redis_caches.get(key)
        if cache is None:
            cache = _redis_caches[key] = RedisCache(server, params)
        return cache


class FallbackRedisCache(BaseCache):
    """Redis, or this process's memory while Redis cannot be reached (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        retry_seconds = float(options.pop("RETRY_SECONDS", DEFAULT_RETRY_SECONDS))
        shared = {name: value for name, value in params.items() if name != "OPTIONS"}
        self._redis = shared_redis_cache(server, {**shared, "OPTIONS": {**DEFAULT_REDIS_OPTIONS, **options}})
        self._local = LocMemCache(
            f"redis-fallback:{server}", {**shared, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}}
        )
        self.breaker = shared_breaker(server, retry_seconds)

    def _call(self, method: str, *args, **kwargs):
        if not self.breaker.is_open:
            try:
                result = getattr(self._redis, method)(*args, **kwargs)
            except RedisError as error:
                self.breaker.failed(error)
            else:
                self.breaker.succeeded()
                return result
        return getattr(self._local, method)(*args, **kwargs)

    @property
    def serving_from_memory(self) -> bool:
        return self.breaker.failing

    def probe(self) -> tuple[bool, str]:
        """Ask Redis itself, breaker or not (the health page's check); a success closes the breaker."""
        try:
            self._redis._cache.get_client(write=True).ping()
        except RedisError as error:
            self.breaker.failed(error)
            return False, f"Redis unreachable ({type(error).__name__}); serving from this process's memory"
        self.breaker.succeeded()
        return True, "redis"

    # The cache API. Everything else BaseCache offers (get_or_set, decr, the versions, the async methods) is built
    # on these.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        # Both: a clear while Redis is down must not leave Redis's old values to reappear when it returns.
        self._local.clear()
        return self._call("clear")

    def close(self, **kwargs):
        self._redis.close(**kwargs)
        self._local.close(**kwargs)
