"""Reading an import file: XLSX or CSV judged by content, the header matched to columns, rows as cell texts."""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from django.utils.translation import gettext

from marketplace.core.spreadsheet_import.columns import (
    ColumnSet,
    ImportRejected,
    RowError,
    SourceRow,
    normalise_name,
    rejected,
)

MAX_ROWS = 20_000  # a bigger portfolio is split into several files; keeps one request or transaction bounded
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the upload page's limit; the command reads files of any size
# An XLSX is a ZIP: refuse one that would unpack into a bomb. Realistic files unpack to a fraction of this.
MAX_UNPACKED_XLSX_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 100  # templates have a few dozen; cells further right are ignored, bounding the work per row
XLSX_SIGNATURE = b"PK\x03\x04"  # XLSX is a ZIP archive
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003, OLE2 compound file)


def parse_table(source: bytes | str | Path, columns: ColumnSet, filename: str = "") -> list[SourceRow]:
    """Read the rows of an XLSX workbook (its first sheet) or a CSV text; `source` is the content or a path.

    What the file is, is judged by its content, never by its name: XLSX starts with the ZIP signature, anything
    else must be CSV text in UTF-8 (with or without BOM) or GB18030 (what Excel writes on Chinese Windows).
    The first row names the columns (Chinese or English names, see `columns`); blank rows are skipped.
    """
    data = Path(source).read_bytes() if isinstance(source, str | Path) else bytes(source)
    if not data.strip():
        raise rejected(gettext("The file is empty."))
    if data.startswith(XLSX_SIGNATURE):
        table = _read_xlsx(data)
    elif data.startswith(OLD_EXCEL_SIGNATURE):
        raise rejected(
            gettext("“%(name)s” is an old Excel (.xls) workbook: save it as .xlsx or as CSV and upload it again.")
            % {"name": filename or "?"}
        )
    else:
        table = _read_csv(data)
    return _rows_from_table(table, columns)


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode_text(data)
    first_line = text.split("\n", 1)[0]
    # Excel writes commas, or semicolons in some locales; "Unicode text" is tab-separated. The header decides.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for cells in reader:
            rows.append(cells[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise rejected(
            gettext("The CSV text cannot be read near line %(line)s (%(reason)s).")
            % {"line": reader.line_num, "reason": error}
        ) from None
    return rows


def _decode_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise rejected(
            gettext(
                "The file is neither an XLSX workbook nor CSV text in UTF-8 or GB18030. "
                "In Excel, save it as “CSV UTF-8” or as .xlsx."
            )
        )
    # Binary files sometimes decode by chance; text files have no control characters besides tab and line ends.
    sample = text[:100_000]
    controls = sum(1 for char in sample if unicodedata.category(char) == "Cc" and char not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) // 1000:
        raise rejected(gettext("The file is not a CSV text file or an XLSX workbook."))
    return text


def _read_xlsx(data: bytes) -> list[list[str]]:
    unreadable = gettext("The file looks like an XLSX workbook but cannot be read; open it in Excel and save it again.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise rejected(unreadable) from None
    if unpacked > MAX_UNPACKED_XLSX_BYTES:
        raise rejected(gettext("The workbook is too large; split it into several files."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any failure to open means a broken or foreign file, which is the user's to fix
        raise rejected(unreadable) from None
    rows: list[list[str]] = []
    try:
        if not workbook.worksheets:
            raise rejected(unreadable)
        for cells in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS):
            rows.append([_xlsx_cell_text(cell) for cell in cells])
            if len(rows) > MAX_ROWS + 1:
                break
    except ImportRejected:
        raise
    except Exception:  # malformed XML inside the archive surfaces only while reading
        raise rejected(unreadable) from None
    finally:
        workbook.close()
    return rows


def _xlsx_cell_text(cell: Any) -> str:
    """A cell's value as the text a user would have typed, so CSV and XLSX go through the same checks."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        # repr() is the shortest text that reads back as the same float: 0.1 stays "0.1", never 0.1000000000000000055.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (getattr(cell, "number_format", "") or ""):
            number *= 100  # a cell formatted as 3.5% holds 0.035
        return _plain(number)
    return str(value).strip()


def _plain(number: Decimal) -> str:
    if not number.is_finite():
        return str(number)
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rows_from_table(table: list[list[str]], columns: ColumnSet) -> list[SourceRow]:
    if not table or not any(cell.strip() for cell in table[0]):
        raise rejected(gettext("The first row must name the columns, as in the template."), row_number=1)
    positions = _match_header(table[0], columns)
    rows: list[SourceRow] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise rejected(
                gettext("The file has more than %(limit)s rows; split it into several files.") % {"limit": MAX_ROWS}
            )
        values = {key: cells[index].strip() if index < len(cells) else "" for key, index in positions.items()}
        rows.append(SourceRow(number=number, values=values))
    if not rows:
        raise rejected(gettext("The file has a header row but no rows of data."), row_number=2)
    return rows


_KEY_IN_BRACKETS = re.compile(r"^(?P<name>.*?)\s*\((?P<key>[a-z ]+)\)$")


def _column_for_header(text: str, columns: ColumnSet) -> str | None:
    names = columns.header_names
    name = normalise_name(text)
    if name in names:
        return names[name]
    match = _KEY_IN_BRACKETS.match(name)  # “申请号 (application_number)”, as the template writes it
    if match:
        return names.get(match["key"]) or names.get(match["name"])
    return None


def _match_header(cells: list[str], columns: ColumnSet) -> dict[str, int]:
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue  # unnamed columns (often Excel's formatting to the right of the data) are ignored
        key = _column_for_header(cell, columns)
        if key is None:
            unknown.append(cell.strip())
        elif key in positions:
            errors.append(
                RowError(
                    1,
                    key,
                    gettext("This column appears twice (“%(first)s” and “%(second)s”).")
                    % {"first": cells[positions[key]].strip(), "second": cell.strip()},
                )
            )
        else:
            positions[key] = index
    if not positions:
        example = columns.example or columns.columns[0]
        raise rejected(
            gettext(
                "The first row names none of the expected columns (such as %(header)s or %(key)s). "
                "Download the template and copy your data into it."
            )
            % {"header": example.header, "key": example.key},
            row_number=1,
        )
    for name in unknown:
        errors.append(
            RowError(
                1,
                None,
                gettext("Unknown column “%(name)s”: remove it or rename it as in the template.") % {"name": name},
            )
        )
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(RowError(1, column.key, gettext("This column is required but missing from the header row.")))
    if errors:
        raise ImportRejected(errors)
    return positions
