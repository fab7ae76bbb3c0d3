"""Redis is a convenience: the cache falls back to the process's memory and a push that cannot go is dropped, so
an action that committed answers success. The whole site against a Redis that stops is in test_redis_outage.py."""

import time

import pytest
from channels.layers import channel_layers
from django.urls import reverse

from deals.models import Negotiation
from deals.services.negotiations import negotiation_open
from marketplace.core import notifications
from marketplace.core.cache import FallbackRedisCache
from marketplace.core.ratelimit import rate_limited
from tests.deals import conftest as deals_fixtures
from tests.servers import PrivateRedis

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
on_market = deals_fixtures.on_market  # a published listing, as the deals tests use


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def closed_push_breaker():
    """Each test starts with pushes allowed and leaves them so (the breaker is per process)."""
    notifications.push_breaker.succeeded()
    yield notifications.push_breaker
    notifications.push_breaker.succeeded()


@pytest.fixture
def unreachable_channel_layer(settings, closed_push_breaker):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [UNREACHABLE_REDIS]}}
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def test_the_cache_uses_memory_while_redis_is_down_and_redis_again_when_it_returns(private_redis):
    cache = FallbackRedisCache(private_redis.url, {"OPTIONS": {"RETRY_SECONDS": 0}})
    cache.set("kept", "in redis", 60)
    assert cache._redis.get("kept") == "in redis"

    private_redis.stop()
    assert cache.get("kept") is None  # Redis's values are out of reach; no error
    cache.set("meanwhile", "in memory", 60)
    assert cache.get("meanwhile") == "in memory"
    assert cache.add("count", 0, 60) and cache.incr("count") == 1
    assert cache.get_or_set("computed", lambda: 42, 60) == 42
    assert cache.serving_from_memory
    assert cache.probe()[0] is False

    private_redis.start()  # an empty Redis on the same port, as after a restart
    cache.set("after", "in redis", 60)
    assert cache._redis.get("after") == "in redis"
    assert not cache.serving_from_memory
    assert cache.probe() == (True, "redis")


def test_after_one_failure_pages_do_not_wait_on_redis_until_the_retry_period_ends():
    location = "redis://127.0.0.1:1/3"  # a Redis of this test's own: the breaker is shared per address
    cache = FallbackRedisCache(location, {"OPTIONS": {"RETRY_SECONDS": 60}})
    attempts = []
    real_get = cache._redis.get

    def counted_get(*args, **kwargs):
        attempts.append(1)
        return real_get(*args, **kwargs)

    cache._redis.get = counted_get
    started = time.monotonic()
    for n in range(200):
        assert cache.get(f"key-{n}", "default") == "default"
    assert len(attempts) == 1
    assert time.monotonic() - started < 1.0
    # Django makes a cache object per thread (under ASGI, per request): they share the breaker.
    other_request = FallbackRedisCache(location, {"OPTIONS": {"RETRY_SECONDS": 60}})
    assert other_request.breaker is cache.breaker and other_request.breaker.is_open

    cache.breaker._open_until = 0.0  # the retry period has passed: the next call tries Redis once more
    cache.get("again")
    assert len(attempts) == 2


def test_the_login_throttle_keeps_counting_in_memory_while_redis_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "marketplace.core.cache.FallbackRedisCache",
            "LOCATION": "redis://127.0.0.1:1/4",
            "OPTIONS": {"RETRY_SECONDS": 60},
        }
    }
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": {"count": 3, "seconds": 60}}
    answers = [rate_limited("login", "someone@example.cn|10.0.0.1") for _ in range(4)]
    assert answers == [False, False, False, True]


def test_a_push_to_an_unreachable_channel_layer_is_dropped_without_an_error(unreachable_channel_layer):
    assert notifications.group_send_now("user-1", {"type": "notify", "payload": {}}) is False
    assert notifications.push_breaker.is_open
    # While the breaker is open nothing even tries; the action behind the push goes on.
    assert notifications.group_send_now("user-1", {"type": "notify", "payload": {}}) is False


# Transactional: the pushes run as the request's transaction commits, inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_chat_message_saved_while_redis_is_down_answers_success(client, world, on_market, unreachable_channel_layer):
    negotiation = negotiation_open(listing=on_market, mode="licence", actor=world.buyer, buyer=world.enterprise)
    client.force_login(world.buyer)
    response = client.post(reverse("negotiations:post_message", args=[negotiation.pk]), {"body": "还在吗？"})
    assert response.status_code == 302
    assert notifications.push_breaker.failing  # the broadcast was attempted, and dropped
    assert negotiation.messages.filter(body="还在吗？").exists()


@pytest.mark.django_db(transaction=True)
def test_an_enquiry_sent_while_redis_is_down_opens_the_negotiation(client, world, on_market, unreachable_channel_layer):
    client.force_login(world.buyer)
    response = client.post(
        reverse("negotiations:enquire", args=[on_market.pk]),
        {"mode": "licence", "buyer": world.enterprise.pk, "message": "想了解许可条件"},
    )
    assert response.status_code == 302
    assert Negotiation.objects.filter(listing=on_market, buyer=world.enterprise).exists()
