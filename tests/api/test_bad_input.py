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
