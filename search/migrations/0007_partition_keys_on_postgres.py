"""PostgreSQL: `search_entry_keys` is split in two by a hash of the listing id, so a search can read both halves at
once, each on a connection of its own (`search.backends.database.halves`).

PostgreSQL 15 plans no parallel scan for a search's bitmap heap scan, and grouping a common word's matches by
facet set is most of a search's time. On two halves, each with its own GIN indexes, each core scans half the index
entries and visits half the rows. Queries that name
the table as a whole (pages, filters, writes) read both halves, as before.

The rows are copied into the new table; its indexes and constraints are built afterwards, under the same names.
Run `VACUUM ANALYZE search_entry_keys` afterwards (timings at a million listings: bench/README.md). Undoing it
copies them back into one table. SQLite is unchanged.
"""

from django.db import migrations

TABLE = "search_entry_keys"
OLD = "search_entry_keys_before_0007"
HALVES = 2  # search_entry_keys_p0 and _p1, as `search.backends.database.HALVES` names them


def _definitions(cursor) -> tuple[list[str], list[str]]:
    """The table's constraints (primary key, foreign key, any other) as ALTER TABLE statements, and its other indexes as
    CREATE INDEX statements, to build again on the new table under the same names."""
    cursor.execute(
        # Not NULL constraints (a kind of their own from PostgreSQL 18): CREATE TABLE ... LIKE copies those.
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype IN ('p', 'u', 'f', 'c') ORDER BY conname",
        [TABLE],
    )
    constraints = [f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}' for name, definition in cursor]
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
        "AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
        [TABLE, TABLE],
    )
    # ONLY would build the index on the parent and not on its halves.
    indexes = [definition.replace(" ONLY ", " ") for _, definition in cursor]
    return constraints, indexes


def _rebuild(schema_editor, *, halves: int) -> None:
    """Copy the table into a new one, split in `halves` by a hash of the listing id, or whole when 0."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        constraints, indexes = _definitions(cursor)
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        split = " PARTITION BY HASH (listing_id)" if halves else ""
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS){split}")
        for remainder in range(halves):
            cursor.execute(
                f"CREATE TABLE {TABLE}_p{remainder} PARTITION OF {TABLE} "
                f"FOR VALUES WITH (MODULUS {halves}, REMAINDER {remainder})"
            )
        # In the order the rows lie in (a rebuild writes them grouped by technology field): a common word's matches
        # then share pages, and a search visits fewer of them.
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608 - fixed SQL
        # Dropped before the new table's constraints and indexes are built: until then it holds their names.
        cursor.execute(f"DROP TABLE {OLD}")
        for statement in constraints + indexes:
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {TABLE}")


def split(apps, schema_editor):
    _rebuild(schema_editor, halves=HALVES)


def join(apps, schema_editor):
    _rebuild(schema_editor, halves=0)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_search_facet_set")]

    operations = [migrations.RunPython(split, join)]
