"""The all-or-nothing run every import shares: read the file, check every row, and write all rows or none."""

from pathlib import Path
from typing import Any, Protocol

from marketplace.core.spreadsheet_import.columns import ColumnSet, ImportRejected, RowError, SourceRow
from marketplace.core.spreadsheet_import.reading import parse_table


class Plan(Protocol):
    """What checking the rows produced: every problem found (none: the file may be written)."""

    errors: list[RowError]


class Importer(Protocol):
    """One kind of import: its columns, how its rows are checked, what a check-only run reports, and how a
    checked plan is written. `write` runs in one transaction and raises ImportRejected when the database no
    longer agrees with the check (nothing is written then)."""

    columns: ColumnSet

    def check(self, rows: list[SourceRow]) -> Plan: ...

    def preview(self, plan: Any) -> Any: ...

    def write(self, plan: Any) -> Any: ...


def run_import(importer: Importer, *, source: bytes | str | Path, filename: str = "", dry_run: bool = False) -> Any:
    """Read, check and (unless `dry_run`) write a file with `importer`.

    Raises ImportRejected with every problem found, sorted by row and column and each naming its column as the
    template does; then nothing was written. With `dry_run` nothing is written either, and the result says what
    an import would do.
    """
    try:
        rows = parse_table(source, importer.columns, filename)
        plan = importer.check(rows)
        if plan.errors:
            raise ImportRejected(plan.errors)
        return importer.preview(plan) if dry_run else importer.write(plan)
    except ImportRejected as rejection:
        raise ImportRejected(importer.columns.report(rejection.errors)) from None
