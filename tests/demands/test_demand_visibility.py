"""Who sees what: others' drafts are not found; the public list, page, API, feed and sitemap show published
demands only."""

import pytest

from demands.models import DemandStatus
from demands.services import demand_set_status
from tests.demands.conftest import published_of

pytestmark = pytest.mark.django_db


def test_someone_elses_draft_is_not_found(world, client_for, draft):
    for user in (world.outsider, world.seller, world.hangzhou_broker, world.stranger):
        client = client_for(user)
        assert client.get(f"/demands/{draft.pk}/").status_code == 404, user
        assert client.get(f"/demands/workspace/{draft.pk}/").status_code == 404, user
        client.logout()
    assert client.get(f"/demands/{draft.pk}/").status_code == 404  # anonymous


def test_the_draft_is_seen_by_its_organisation_and_its_centre(world, client_for, draft):
    for user in (world.buyer, world.alliance_broker, world.ningbo_broker, world.root_staff):
        client = client_for(user)
        response = client.get(f"/demands/{draft.pk}/")
        assert response.status_code == 200, user
        assert "机密需求草稿QX3" in response.content.decode()
        client.logout()


def test_the_public_list_shows_published_demands_only(client, world, draft, published):
    page = client.get("/demands/").content.decode()
    assert published.title in page
    assert draft.title not in page
    assert client.get(f"/demands/{published.pk}/").status_code == 200


def test_the_list_filters_by_field_region_and_deal_kind(client, world, published):
    other = published_of(world, title="寻求农产品保鲜技术", field="A", city="lishui", deal_kinds=["transfer"])
    assert other.title not in client.get("/demands/?field=H").content.decode()
    assert published.title in client.get("/demands/?field=H").content.decode()
    by_city = client.get("/demands/?city=lishui").content.decode()
    assert other.title in by_city and published.title not in by_city
    by_kind = client.get("/demands/?deal_kind=joint_development").content.decode()
    assert published.title in by_kind and other.title not in by_kind
    # A forged value is ignored, not an error.
    assert client.get("/demands/?field=Q&page=abc").status_code == 200


def test_the_list_is_paginated(client, world, settings):
    for number in range(22):
        published_of(world, title=f"需求{number:02d}")
    first = client.get("/demands/")
    assert first.context["pages"].total == 22 and len(first.context["demands"]) == 20
    assert len(client.get("/demands/?page=2").context["demands"]) == 2


def test_the_api_lists_and_returns_published_demands_only(client, world, draft, published):
    body = client.get("/api/v1/demands").json()
    assert [row["id"] for row in body["results"]] == [published.pk]
    assert body["total"] == 1
    row = body["results"][0]
    assert row["deal_kinds"] == ["licence", "joint_development"]
    assert (row["budget_min_fen"], row["field"], row["city"]) == (50_000_000, "H", "ningbo")
    assert client.get(f"/api/v1/demands/{published.pk}").status_code == 200
    assert client.get(f"/api/v1/demands/{draft.pk}").status_code == 404
    assert client.get("/api/v1/demands?field=A").json()["total"] == 0
    assert client.get("/api/v1/demands?deal_kind=licence&city=ningbo").json()["total"] == 1
    assert client.get("/api/v1/demands?field=Q").status_code == 422


def test_the_api_is_documented(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/demands" in document["paths"] and "/api/v1/demands/{demand_id}" in document["paths"]
    schema = document["components"]["schemas"]["DemandOut"]
    assert "joint_development" in str(schema["properties"]["deal_kinds"])


def test_the_feed_and_the_sitemap_carry_published_demands_only(client, world, draft, published):
    feed = client.get("/demands/feed/")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert published.title in text and draft.title not in text
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/demands/{published.pk}/" in sitemap and f"/demands/{draft.pk}/" not in sitemap


def test_a_paused_demand_leaves_the_public_pages(client, world, published):
    demand_set_status(demand=published, to_status=DemandStatus.PAUSED, actor=world.buyer)
    assert client.get(f"/demands/{published.pk}/").status_code == 404
    assert published.title not in client.get("/demands/").content.decode()
    assert client.get("/api/v1/demands").json()["total"] == 0


def test_english_readers_see_the_organisations_english(client, world):
    demand = published_of(world, title_en="Coating for high-nickel cathodes", summary_en="We need a coating.")
    client.cookies["django_language"] = "en"
    page = client.get(f"/demands/{demand.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Coating for high-nickel cathodes" in page


def test_the_public_pages_are_served_to_anonymous_visitors_from_the_cache_and_forgotten_on_change(
    client, world, published
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/demands/", f"/demands/{published.pk}/"):
        first = client.get(url)
        assert first.status_code == 200 and "public" in first["Cache-Control"], url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 0, url
    demand_set_status(demand=published, to_status=DemandStatus.PAUSED, actor=world.buyer)
    assert client.get(f"/demands/{published.pk}/").status_code == 404
    assert published.title not in client.get("/demands/").content.decode()


def test_the_workspace_links_to_the_demands(world, client_for):
    page = client_for(world.buyer).get("/workspace/").content.decode()
    assert "/demands/workspace/" in page and "/demands/workspace/new/" in page
    staff_page = client_for(world.ningbo_broker).get("/workspace/").content.decode()
    assert "/demands/moderation/" in staff_page
