"""Each distinct set of facet keys is stored once (`search_facet_set`); a keys row holds its set's number.

`search_entry_keys.facet_keys` (~150 characters) becomes `facet_set_id` (8 bytes), so the rows a search visits
are narrower and the PostgreSQL engine counts matches per set number.

The sets are filled from the rows already indexed, so no rebuild is needed, and the change can be undone. On
PostgreSQL filling the new column rewrites every keys row; the GIN indexes are dropped first and built again
afterwards, which is much faster than updating them row by row. The old copies of the rows stay behind until
vacuumed: on a large index run `manage.py search_index rebuild` afterwards (or `VACUUM FULL search_entry_keys`), or
a search reads twice as many pages as it needs. How long each step takes at a million listings: bench/README.md.
"""

import django.db.models.deletion
from django.db import migrations, models

GIN_INDEXES = {
    "search_entry_keys_document_gin": "document",
    "search_entry_keys_title_gin": "title_document",
}


def _without_gin_indexes(schema_editor, statements: list[str]) -> None:
    """Run `statements` (valid SQL on both engines) with PostgreSQL's GIN indexes dropped, then built again."""
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgres:
            for name in GIN_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        for statement in statements:
            cursor.execute(statement)
        if postgres:
            for name, column in GIN_INDEXES.items():
                cursor.execute(f"CREATE INDEX {name} ON search_entry_keys USING gin ({column})")
            # Checked now rather than at commit, so that the next operation may alter the table.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ANALYZE search_entry_keys")


def facet_set_field(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        "search.searchfacetset",
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
    )


def number_the_sets(apps, schema_editor):
    _without_gin_indexes(
        schema_editor,
        [
            "INSERT INTO search_facet_set (facet_keys) "
            "SELECT DISTINCT facet_keys FROM search_entry_keys ORDER BY facet_keys",
            "UPDATE search_entry_keys SET facet_set_id = "
            "(SELECT s.id FROM search_facet_set s WHERE s.facet_keys = search_entry_keys.facet_keys)",
        ],
    )


def spell_the_sets_out(apps, schema_editor):
    _without_gin_indexes(
        schema_editor,
        [
            "UPDATE search_entry_keys SET facet_keys = "
            "(SELECT s.facet_keys FROM search_facet_set s WHERE s.id = search_entry_keys.facet_set_id)"
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_text_in_keys_row")]

    operations = [
        migrations.CreateModel(
            name="SearchFacetSet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("facet_keys", models.TextField(unique=True)),
            ],
            options={"db_table": "search_facet_set"},
        ),
        # Added empty, filled, then required.
        migrations.AddField(model_name="searchentrykeys", name="facet_set", field=facet_set_field(null=True)),
        migrations.RunPython(number_the_sets, migrations.RunPython.noop),
        migrations.AlterField(model_name="searchentrykeys", name="facet_set", field=facet_set_field(null=False)),
        # Undone, these run from the bottom up: the column comes back empty, is filled from the sets (before they
        # go) and only then becomes required again.
        migrations.AlterField(model_name="searchentrykeys", name="facet_keys", field=models.TextField(null=True)),
        migrations.RunPython(migrations.RunPython.noop, spell_the_sets_out),
        migrations.RemoveField(model_name="searchentrykeys", name="facet_keys"),
    ]
