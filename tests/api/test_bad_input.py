"""Hand-picked bad values the generator rarely draws, sent to every parameter of every API operation."""

import re
from urllib.parse import quote

import pytest

from config.api import api

pytestmark = pytest.mark.django_db

NASTY_VALUES = {
    "nul": "\x00",  # PostgreSQL refuses NUL in text (a DataError): it must become a 4xx before any query runs
    "nul_inside": "石墨\x00烯",
    "not_utf8": b"\xed\xa0\x80",  # a lone surrogate, sent as raw bytes
    "huge_integer": "9" * 40,
    "negative": "-1",
    "search_syntax": 'NEAR("a" b) OR * ^ :: \\ (',
}


def _parameters():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                yield pytest.param(method, path, parameter["name"], parameter["in"], id=f"{path}:{parameter['name']}")


def _url(path: str, name: str, location: str, value: str | bytes) -> str:
    encoded = quote(value, safe="")
    if location == "path":
        return path.replace("{" + name + "}", encoded)
    # Other path parameters get a plausible value, so the request reaches the query's validation.
    filled = re.sub(r"{\w+}", lambda match: "year" if "dimension" in match.group() else "1", path)
    return f"{filled}?{name}={encoded}"


@pytest.mark.parametrize("method,path,name,location", list(_parameters()))
def test_a_nasty_value_in_any_parameter_gets_a_reasoned_answer_not_a_server_error(
    client, marketplace_data, method, path, name, location
):
    for kind, value in NASTY_VALUES.items():
        url = _url(path, name, location, value)
        response = client.generic(method.upper(), url)
        assert response.status_code < 500, (kind, url, response.status_code)
        if response.status_code >= 400:
            assert response.json()["detail"], (kind, url)


def test_the_document_lists_the_refusals_and_the_values_of_every_code_field():
    document = api.get_openapi_schema()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert 422 in operation["responses"], f"{path} does not document its 422"
    assert 404 in document["paths"]["/api/v1/listings/{listing_id}"]["get"]["responses"]
    schemas = document["components"]["schemas"]
    assert schemas["Term"]["properties"]["mode"]["enum"] == ["licence", "transfer", "equity"]
    assert "granted" in schemas["PatentOut"]["properties"]["legal_status"]["enum"]
    assert "university" in schemas["ListingOut"]["properties"]["seller_kind"]["enum"]


def test_an_unknown_listing_answers_404_as_documented(client):
    response = client.get("/api/v1/listings/999999")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
