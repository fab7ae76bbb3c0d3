"""Bulk import of listings from a CSV or XLSX file (批量导入): one row per patent, one draft listing per row.

The three steps every import takes (marketplace.core.spreadsheet_import, shared with the demands' survey import),
so that a file can be checked without writing anything:

1. `parse_file` (reading.py): bytes -> `SourceRow`s, cell texts keyed by column; an unreadable file raises
   `ImportRejected`.
2. `validate_rows` (checking.py, with cells.py for each cell and state.py for what the database holds): every
   row is checked and every problem collected as a `RowError` (row, column, reason in the active language)
   -> an `ImportPlan`.
3. `execute_plan` (writing.py): one transaction that upserts each patent by its normalised application number
   and the seller's listing of that one patent, comparing before writing, so importing the same file again
   changes nothing (not even `updated_at`). If anything is wrong, nothing is written.

A large file must import quickly (the target is in bench/README.md), so existing rows are fetched a few queries at
a time and written with bulk_create / bulk_update. That skips `Model.save()` and the row-by-row services, so this
package mirrors their rules in bulk: `Patent.save()`'s derived fields (expiry date, IPC section and class),
`patent_upsert`'s linking of applicants on the platform, `listing_set_terms`' fields per mode.
"""

from dataclasses import dataclass
from pathlib import Path

from listings.importing.cells import parse_yuan
from listings.importing.checking import ImportPlan, validate_rows
from listings.importing.columns import COLUMNS, Column, ImportRejected, ImportResult, RowError, SourceRow
from listings.importing.reading import MAX_UPLOAD_BYTES, parse_file
from listings.importing.template import template_csv, template_xlsx
from listings.importing.writing import execute_plan
from marketplace.core.spreadsheet_import.cells import parse_date
from marketplace.core.spreadsheet_import.running import run_import
from marketplace.organisations.models import Organisation

__all__ = [
    "COLUMNS",
    "MAX_UPLOAD_BYTES",
    "Column",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "ListingImporter",
    "RowError",
    "SourceRow",
    "execute_plan",
    "import_listings",
    "parse_date",
    "parse_file",
    "parse_yuan",
    "template_csv",
    "template_xlsx",
    "validate_rows",
]


@dataclass
class ListingImporter:
    """The listing import as marketplace.core.spreadsheet_import.run_import runs it, for one seller."""

    seller: Organisation
    actor: object = None
    columns = COLUMNS

    def check(self, rows: list[SourceRow]) -> ImportPlan:
        return validate_rows(rows, self.seller)

    def preview(self, plan: ImportPlan) -> ImportResult:
        return plan.preview

    def write(self, plan: ImportPlan) -> ImportResult:
        return execute_plan(plan, self.actor)


def import_listings(
    *,
    source: bytes | str | Path,
    filename: str,
    seller: Organisation,
    actor,
    dry_run: bool = False,
) -> ImportResult:
    """Read, check and (unless `dry_run`) import a file for `seller`.

    Raises ImportRejected with every problem found; then nothing was written. With `dry_run` nothing is written
    either, and the result says what an import would do.
    """
    return run_import(ListingImporter(seller=seller, actor=actor), source=source, filename=filename, dry_run=dry_run)
