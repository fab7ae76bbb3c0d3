import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.indicators.conftest import completed_deal

pytestmark = pytest.mark.django_db


def test_q(client, client_for, world):
    completed_deal(world, "licence")
    for c in (client, client_for(world.ningbo_broker)):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/indicators/").status_code == 200
        print("queries", len(ctx.captured_queries))
        from collections import Counter

        print(Counter(q["sql"][:60] for q in ctx.captured_queries).most_common(6))
