"""Bad input on the open JSON API: schemathesis drives every operation of /api/v1/openapi.json.

The schema is loaded from the app in-process (Django's WSGI handler), so the requests reach the test
database. Every operation gets generated parameters — valid ones, and invalid ones from the coverage
phase — against a database with published listings and ledger entries, so the happy paths are walked
as well as the refusals. Whatever arrives, the answer is never a 5xx, and a 2xx matches the schema.

New routers added to config/api.py are picked up without touching this file.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from indicators.models import LedgerEntry
from marketplace.organisations.models import ApiScope
from marketplace.organisations.services import api_token_create
from tests.api.conftest import listing_ids_on_market

# Enough examples to reach every parameter, few enough that the file runs well under a minute; bench/security.py
# asks for many more in its long run.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "100"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# Generated path ids are almost never real ones; half the time use a row the fixture made, so the 200 path is
# fuzzed too (together with the generated query). Filled by the known_ids fixture.
KNOWN_IDS: dict[str, list[int]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    known = {name: KNOWN_IDS[name] for name in path_parameters or {} if KNOWN_IDS.get(name)}
    if not known:
        return st.just(path_parameters)
    real = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in known.items()})
    return st.one_of(st.just(path_parameters), real.map(lambda ids: {**path_parameters, **ids}))


# The checks that say "the server coped": no 5xx, and what it answers is what the document promises.
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.specs.openapi.checks.response_schema_conformance,
    schemathesis.specs.openapi.checks.content_type_conformance,
]


@pytest.fixture
def wsgi_in_test_transaction():
    """Keep Django's request signals from closing the test's connection (the test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known_ids(marketplace_data):
    KNOWN_IDS["listing_id"] = listing_ids_on_market()
    yield KNOWN_IDS
    KNOWN_IDS.clear()


@pytest.fixture
def organisation_token(marketplace_data):
    """The write API (/api/v1/organisation/...) is fuzzed with a token of the listings' seller, so generated bodies
    reach its forms and services (and the known listing ids are its own), not only the 401 at its door."""
    issued = api_token_create(
        organisation=marketplace_data.university,
        actor=marketplace_data.seller,
        name="fuzz",
        scopes=list(ApiScope.values),
    )
    return {"Authorization": f"Bearer {issued.secret}"}


def test_the_fuzzed_database_has_listings_and_ledger_entries(marketplace_data):
    assert LedgerEntry.objects.count() >= 2
    assert len(listing_ids_on_market()) >= 3


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_copes_with_generated_parameters(
    case, known_ids, organisation_token, wsgi_in_test_transaction, fuzz_tally
):
    response = case.call(headers=organisation_token if case.path.startswith("/api/v1/organisation/") else None)
    fuzz_tally["cases"] += 1
    fuzz_tally["server_errors"] += response.status_code >= 500
    case.validate_response(response, checks=CHECKS)


@pytest.fixture
def fuzz_tally(record_property):
    """How many cases one operation was sent and how many answered 5xx (hypothesis calls the test once per case,
    within one fixture lifetime); bench/security.py sums them from the JUnit report."""
    tally = {"cases": 0, "server_errors": 0}
    yield tally
    record_property("fuzz_cases", tally["cases"])
    record_property("fuzz_5xx", tally["server_errors"])
