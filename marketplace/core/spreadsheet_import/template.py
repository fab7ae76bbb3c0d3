"""The downloadable template of an import: the header row and one realistic example row, as CSV and as XLSX."""

import codecs
import csv
import io
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils.translation import gettext

from marketplace.core.spreadsheet_import.columns import ColumnSet


def template_csv(columns: ColumnSet, example: Mapping[str, Any]) -> bytes:
    """The header row and one example row, as UTF-8 with a BOM so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in columns])
    writer.writerow([_template_text(example.get(column.key, "")) for column in columns])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _template_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def template_xlsx(
    columns: ColumnSet,
    example: Mapping[str, Any],
    *,
    sheet_title: str,
    wide: Collection[str] = (),
    text: Collection[str] = (),
) -> bytes:
    """The same as a workbook: the data sheet first (the one imported), then a sheet that explains each column.
    Columns in `wide` hold long texts; cells of columns in `text` are formatted as text, so Excel never turns a
    number such as an application number or a credit code into 2.01911E+12."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    bold = openpyxl.styles.Font(bold=True)
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index, value=column.label)
        header.font = bold
        value = example.get(column.key, "")
        cell = sheet.cell(row=2, column=index, value=value if value != "" else None)
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = 40 if column.key in wide else 18
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif column.key in text:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(gettext("Instructions")[:31])
    notes.append([gettext("Column"), gettext("Required"), gettext("What to enter")])
    for cell in notes[1]:
        cell.font = bold
    for column in columns:
        notes.append([column.label, gettext("yes") if column.required else gettext("no"), str(column.help)])
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
