"""The full-text part of the database backend's index, which Django models cannot describe.

SQLite: an FTS5 table whose external content is search_entry's token columns (tokens are pre-segmented and
space-separated, so unicode61 only splits on the spaces). PostgreSQL: a tsvector column with a GIN index.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_tokens, body_tokens, identifier_tokens, subword_tokens,
    content='search_entry', content_rowid='listing_id', tokenize='unicode61 remove_diacritics 2'
)
"""
SQLITE_DROP = "DROP TABLE IF EXISTS search_fts"
POSTGRES_CREATE = [
    "ALTER TABLE search_entry ADD COLUMN document tsvector",
    "CREATE INDEX search_entry_document_gin ON search_entry USING gin (document)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": [SQLITE_CREATE], "postgresql": POSTGRES_CREATE})


def drop_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": [SQLITE_DROP], "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_text_index, drop_text_index)]
