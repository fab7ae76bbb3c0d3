"""PostgreSQL: the text vectors move into the narrow keys row, so a text search reads one table.

Before, a search matched `search_entry.document` (wide rows: title, summary and four token columns) and joined
every match to its keys row: a common two-word query visited tens of thousands of wide rows and as many key
lookups. Now `search_entry_keys` holds, beside the facet and sort keys:

- `document`: everything searchable (as before);
- `title_document`: the title's words and the sub-words inside them. Ranking reads only this small vector (see
  `search.backends.database.postgres`), never the whole document.

Both are filled from the entry's stored tokens, so no rebuild is needed (the title's sub-words are worked out in
Python, a batch at a time). Filling them rewrites every keys row: on a large index, `VACUUM FULL search_entry_keys`
afterwards gives the old copies' space back. SQLite is unchanged (FTS5 keeps its own table).
"""

from django.db import migrations

from search.text import title_words

DOCUMENT_FROM_ENTRY = (
    "setweight(to_tsvector('simple', e.title_tokens), 'A')"
    " || setweight(to_tsvector('simple', e.identifier_tokens), 'B')"
    " || setweight(to_tsvector('simple', e.body_tokens), 'C')"
    " || setweight(to_tsvector('simple', e.subword_tokens), 'D')"
)
TITLE_DOCUMENT = "setweight(to_tsvector('simple', v.title_words), 'A')"
BATCH = 5_000

ADD_COLUMNS = ["ALTER TABLE search_entry_keys ADD COLUMN document tsvector, ADD COLUMN title_document tsvector"]
INDEX_AND_DROP = [
    "CREATE INDEX search_entry_keys_document_gin ON search_entry_keys USING gin (document)",
    "CREATE INDEX search_entry_keys_title_gin ON search_entry_keys USING gin (title_document)",
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
]
BACKWARD = [
    "ALTER TABLE search_entry ADD COLUMN document tsvector",
    "UPDATE search_entry e SET document = "
    "setweight(to_tsvector('simple', e.title_tokens), 'A')"
    " || setweight(to_tsvector('simple', e.identifier_tokens), 'B')"
    " || setweight(to_tsvector('simple', e.body_tokens), 'C')"
    " || setweight(to_tsvector('simple', e.subword_tokens), 'D')",
    "CREATE INDEX search_entry_document_gin ON search_entry USING gin (document)",
    "DROP INDEX IF EXISTS search_entry_keys_title_gin",
    "DROP INDEX IF EXISTS search_entry_keys_document_gin",
    "ALTER TABLE search_entry_keys DROP COLUMN IF EXISTS title_document, DROP COLUMN IF EXISTS document",
]


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def _fill_vectors(schema_editor) -> None:
    after = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT listing_id, title_tokens FROM search_entry WHERE listing_id > %s ORDER BY listing_id LIMIT %s",
                [after, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            after = rows[-1][0]
            words = [(listing_id, title_words(tokens)) for listing_id, tokens in rows]
            cursor.execute(
                f"UPDATE search_entry_keys k SET document = {DOCUMENT_FROM_ENTRY}, title_document = {TITLE_DOCUMENT} "  # noqa: S608
                f"FROM search_entry e, (VALUES {', '.join(['(%s::bigint, %s)'] * len(words))}) "
                "AS v(listing_id, title_words) WHERE e.listing_id = k.listing_id AND v.listing_id = k.listing_id",
                [value for row in words for value in row],
            )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _run(schema_editor, ADD_COLUMNS)
    _fill_vectors(schema_editor)
    _run(schema_editor, INDEX_AND_DROP)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_searchentrykeys")]

    operations = [migrations.RunPython(forward, backward)]
