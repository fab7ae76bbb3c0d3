"""The open listing API: figures a machine can read, parameters checked, never a 5xx."""

import pytest

from tests.factories import ListingFactory, PatentFactory, listing_on_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_battery(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return listing_on_market(
            seller=world.university,
            seller_user=world.seller,
            broker=world.ningbo_broker,
            patent=PatentFactory(owners=[world.university], title="一种锂电池正极材料的制备方法"),
            title="高能量密度锂电池正极材料",
        )


@pytest.fixture(autouse=True)
def empty_index():
    from search import get_search_backend

    get_search_backend().reset_index()


def test_the_openapi_document_describes_the_listing_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/listings", "/api/v1/listings/{listing_id}"} <= set(document["paths"])
    parameters = {p["name"] for p in document["paths"]["/api/v1/listings"]["get"]["parameters"]}
    assert {"q", "mode", "ipc_section", "city", "page", "page_size"} <= parameters


def test_a_machine_searches_in_chinese_and_gets_facets(client, published_battery):
    body = client.get("/api/v1/listings", {"q": "锂电池", "page_size": 5}).json()
    assert body["total"] == 1
    assert body["results"][0]["id"] == published_battery.pk
    assert body["results"][0]["patents"][0]["main_ipc"] == "H01M 4/525"
    assert body["facets"]["mode"] == {"licence": 1}


def test_filters_narrow_the_results(client, published_battery):
    assert client.get("/api/v1/listings", {"mode": "transfer"}).json()["total"] == 0
    assert client.get("/api/v1/listings", {"mode": "licence", "ipc_section": "H"}).json()["total"] == 1


def test_one_listing_and_a_missing_one(client, published_battery):
    assert client.get(f"/api/v1/listings/{published_battery.pk}").json()["title"] == published_battery.title
    response = client.get("/api/v1/listings/999999")
    assert response.status_code == 404 and response.json()["detail"]


def test_a_machine_reads_the_english_version_and_finds_the_listing_by_it(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listing = listing_on_market(
            seller=world.university,
            seller_user=world.seller,
            broker=world.ningbo_broker,
            patent=PatentFactory(owners=[world.university], title="一种锂电池正极材料的制备方法"),
            title="高能量密度锂电池正极材料",
            title_en="High-energy-density lithium battery cathode",
        )
    body = client.get("/api/v1/listings", {"q": "lithium batteries"}).json()
    assert [found["id"] for found in body["results"]] == [listing.pk]
    assert body["results"][0]["title_en"] == "High-energy-density lithium battery cathode"
    assert body["results"][0]["summary_en"] == ""


def test_a_draft_is_not_readable_through_the_api(client, world):
    draft = ListingFactory(seller=world.university)
    assert client.get(f"/api/v1/listings/{draft.pk}").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page_size": "1000"},
        {"mode": "forever"},
        {"ipc_section": "Z"},
        {"sort": "random"},
        {"centre": "x"},
        {"q": "x" * 500},
    ],
)
def test_malformed_parameters_get_a_4xx_naming_them_with_a_reason(client, params):
    response = client.get("/api/v1/listings", params)
    assert 400 <= response.status_code < 500
    errors = response.json()["errors"]
    assert [error["parameter"] for error in errors] == list(params), errors
    assert all(error["reason"] for error in errors)


def test_every_malformed_parameter_is_named_at_once(client):
    response = client.get("/api/v1/listings", {"sort": "random", "mode": ["licence", "forever"], "q": "电池\x00"})
    assert response.status_code == 422
    assert {error["parameter"]: error["reason"] for error in response.json()["errors"]} == {
        "sort": "must be one of relevance, newest, price_asc, price_desc",
        "q": "must not contain NUL characters",
        "mode": "unknown value(s): forever; expected ['equity', 'licence', 'transfer']",
    }
