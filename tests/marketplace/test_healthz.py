import pytest

from search import reset_search_backends
from search.backends.base import BackendHealth, BaseSearchBackend

pytestmark = pytest.mark.django_db(transaction=True)


class BrokenSearchBackend(BaseSearchBackend):
    def healthcheck(self) -> BackendHealth:
        return BackendHealth(ok=False, detail="index missing")


@pytest.fixture
def fresh_search_backends():
    reset_search_backends()
    yield
    reset_search_backends()


def test_healthz_reports_every_part_up(client, fresh_search_backends):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "channel_layer", "search"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_answers_503_naming_the_search_backend_when_it_is_down(client, settings, fresh_search_backends):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": f"{__name__}.BrokenSearchBackend"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["search"]
    assert response.json()["checks"]["search"]["detail"] == "index missing"


def test_healthz_answers_503_naming_the_channel_layer_when_redis_is_unreachable(client, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert "channel_layer" in response.json()["down"]


def test_liveness_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_liveness_stays_up_when_a_dependency_is_down(client, settings, fresh_search_backends):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": f"{__name__}.BrokenSearchBackend"}}
    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz/live").status_code == 200


def test_liveness_refuses_writes(client):
    assert client.post("/healthz/live").status_code == 405
    assert client.head("/healthz/live").status_code == 200
