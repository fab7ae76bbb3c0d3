"""Bulk import from a CSV or XLSX file (批量导入), for any kind of row: listings, technology demands.

Every import takes the same three steps, so a file can be checked without writing anything and is written whole
or not at all:

1. `parse_table` (reading.py): bytes -> `SourceRow`s, cell texts keyed by column; the file's kind is judged by
   its content (XLSX, or CSV in UTF-8, GB18030 or UTF-16), the header row is matched to the import's `ColumnSet`
   by Chinese or English names (columns.py); an unreadable file raises `ImportRejected`.
2. The import's `check` collects every problem of every row as a `RowError` (row, column, reason in the active
   language), with the parsers of cells.py for what every import reads the same way (dates, decimals, choices).
3. The import's `write` writes all rows in one transaction, or raises ImportRejected and writes nothing.

`run_import` (running.py) runs the three and labels the report; web.py holds what the upload pages share (the
form, the report's context for templates/includes/import_report.html, the template download), template.py the
template as CSV and XLSX. What a row means (a patent, a demand) stays in its app.
"""

from marketplace.core.spreadsheet_import.columns import (
    OPTIONAL,
    REQUIRED,
    Column,
    ColumnSet,
    ImportRejected,
    RowError,
    SourceRow,
    normalise_name,
    rejected,
)
from marketplace.core.spreadsheet_import.reading import MAX_ROWS, MAX_UPLOAD_BYTES, parse_table
from marketplace.core.spreadsheet_import.running import Importer, run_import

__all__ = [
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "OPTIONAL",
    "REQUIRED",
    "Column",
    "ColumnSet",
    "ImportRejected",
    "Importer",
    "RowError",
    "SourceRow",
    "normalise_name",
    "parse_table",
    "rejected",
    "run_import",
]
