"""Upgrading a PostgreSQL index in place (migration 0005) gives exactly what indexing from scratch gives."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.backends.base import SearchQuery
from tests.search.test_contract import backend, corpus, found  # noqa: F401 - fixtures and helper reused

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the migration changes only PostgreSQL"),
]


def vectors() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT listing_id, document::text, title_document::text FROM search_entry_keys ORDER BY listing_id"
        )
        return cursor.fetchall()


def migrate_search_to(name: str) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("search", name)])


def test_the_upgrade_fills_the_vectors_as_indexing_does(backend, corpus):  # noqa: F811 - fixtures
    indexed = vectors()
    answers = {text: found(backend, text) for text in ["石墨", "锂电 正极材料", "H01M", "张伟", "batteries"]}
    filtered = backend.search(SearchQuery(text="石墨", filters={"mode": ["licence"]}, facets=("mode",)))

    migrate_search_to("0004_searchentrykeys")
    migrate_search_to("0005_postgres_text_in_keys_row")

    assert vectors() == indexed
    assert {text: found(backend, text) for text in answers} == answers
    again = backend.search(SearchQuery(text="石墨", filters={"mode": ["licence"]}, facets=("mode",)))
    assert (again.ids, again.facet_counts) == (filtered.ids, filtered.facet_counts)
