"""The gram stream (`search.text.grams`): two adjacent characters of every run of Chinese, so that a word the text
was segmented differently, or a single character, is still found.

SQLite: `search_entry.gram_tokens` is a fifth column of the FTS5 table, which is created again with it and filled
from the entries (their grams are empty until `manage.py search_index rebuild`). PostgreSQL keeps no copy of the
grams in `search_entry` (they are added to each keys row's `document` as it is written), so the column stays empty
there; listings indexed before this migration are found by their grams after the rebuild.
"""

from django.db import migrations, models

COLUMNS = "title_tokens, body_tokens, identifier_tokens, subword_tokens"
CREATE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5({columns}, content='search_entry', content_rowid='listing_id', "
    "tokenize='unicode61 remove_diacritics 2')"
)


def _recreate_fts(schema_editor, columns: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(CREATE.format(columns=columns))
    schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")


def with_grams(apps, schema_editor):
    _recreate_fts(schema_editor, f"{COLUMNS}, gram_tokens")


def without_grams(apps, schema_editor):
    _recreate_fts(schema_editor, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_alert_digests")]

    operations = [
        migrations.AddField(
            model_name="searchentry", name="gram_tokens", field=models.TextField(blank=True, default="")
        ),
        migrations.RunPython(with_grams, without_grams),
    ]
