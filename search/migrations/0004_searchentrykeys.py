from django.db import migrations, models

# Filled from what the entries already hold, so no rebuild is needed after upgrading.
FILL = {
    "sqlite": "INSERT INTO search_entry_keys (listing_id, facet_keys, published_at, price_fen) "
    "SELECT listing_id, COALESCE((SELECT group_concat(facet || ':' || value, ' ') FROM search_facet_value "
    "WHERE entry_id = search_entry.listing_id), ''), published_at, price_fen FROM search_entry",
    "postgresql": "INSERT INTO search_entry_keys (listing_id, facet_keys, published_at, price_fen) "
    "SELECT listing_id, COALESCE((SELECT string_agg(facet || ':' || value, ' ') FROM search_facet_value "
    "WHERE entry_id = search_entry.listing_id), ''), published_at, price_fen FROM search_entry",
}


def fill_keys(apps, schema_editor):
    statement = FILL.get(schema_editor.connection.vendor)
    if statement:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    """A narrow row per entry for what a text search reads with every match (facet keys, sort keys)."""

    dependencies = [("search", "0003_savedsearch")]

    operations = [
        migrations.CreateModel(
            name="SearchEntryKeys",
            fields=[
                ("listing_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("facet_keys", models.TextField()),
                ("published_at", models.DateTimeField(db_index=True, null=True)),
                ("price_fen", models.BigIntegerField(db_index=True, null=True)),
            ],
            options={"db_table": "search_entry_keys"},
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="searchentry", name="published_at"),
        migrations.RemoveField(model_name="searchentry", name="price_fen"),
    ]
