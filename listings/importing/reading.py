"""Reading a listing import file: every import's reader (marketplace.core.spreadsheet_import.reading) with the
listing's columns."""

from pathlib import Path

from listings.importing.columns import COLUMNS, SourceRow
from marketplace.core.spreadsheet_import.reading import MAX_ROWS, MAX_UPLOAD_BYTES, parse_table

__all__ = ["MAX_ROWS", "MAX_UPLOAD_BYTES", "parse_file"]


def parse_file(source: bytes | str | Path, filename: str = "") -> list[SourceRow]:
    """Read the rows of an XLSX workbook (its first sheet) or a CSV text; `source` is the content or a path.

    What the file is, is judged by its content, never by its name: XLSX starts with the ZIP signature, anything
    else must be CSV text in UTF-8 (with or without BOM) or GB18030 (what Excel writes on Chinese Windows).
    The first row names the columns (Chinese or English names, see COLUMNS); blank rows are skipped.
    """
    return parse_table(source, COLUMNS, filename)
