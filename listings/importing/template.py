"""The downloadable template: the header row and one realistic example row, as CSV and as XLSX."""

import codecs
import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils.translation import gettext

from listings.importing.columns import COLUMNS
from listings.patents.numbers import compute_check_digit

EXAMPLE_NUMBER_DIGITS = "201910532817"
EXAMPLE_ROW: dict[str, Any] = {
    "application_number": f"{EXAMPLE_NUMBER_DIGITS}.{compute_check_digit(EXAMPLE_NUMBER_DIGITS)}",
    "patent_type": "发明",
    "title": "一种高镍三元锂离子电池正极材料及其制备方法",
    "abstract": "本发明公开了一种高镍三元正极材料及其制备方法，通过梯度掺杂铝、镁元素并包覆快离子导体层，"
    "抑制了循环过程中的相变与微裂纹，提高了材料的循环稳定性和热稳定性。",
    "first_claim": "1. 一种高镍三元正极材料的制备方法，其特征在于，包括以下步骤：将镍钴锰前驱体与锂源、"
    "掺杂剂混合，在氧气气氛中于700~800℃煅烧10~15小时……",
    "ipc_codes": "H01M 4/525; H01M 10/0525",
    "filing_date": date(2019, 3, 15),
    "publication_date": date(2019, 7, 2),
    "grant_date": date(2021, 5, 18),
    "legal_status": "授权",
    "applicants": "浙江大学",
    "inventors": "王建国; 李晓梅; 陈志强",
    "summary": "让电动汽车动力电池在同样重量下多储存约 15% 的电量，循环 1000 次后容量仍保持 90% 以上，"
    "适合动力电池和储能电池生产企业。",
    "title_en": "High-nickel cathode material for lithium-ion batteries and its preparation",
    "summary_en": "Stores about 15% more energy in an electric-vehicle battery of the same weight and keeps over 90% "
    "of its capacity after 1,000 cycles; for makers of traction and energy-storage batteries.",
    "maturity": "中试",
    "application_fields": "新能源汽车动力电池；储能电池",
    "licence_types": "独占; 普通",
    "territory": "中国大陆",
    "field_of_use": "动力电池",
    "licence_term_years": 5,
    "upfront_fee_yuan": Decimal("500000.00"),
    "royalty_rate_percent": Decimal("3.5"),
    "transfer_price_yuan": Decimal("3000000"),
    "equity_value_yuan": "",
    "asking_price_yuan": "",
}


def template_csv() -> bytes:
    """The header row and one example row, as UTF-8 with a BOM so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in COLUMNS])
    writer.writerow([_template_text(EXAMPLE_ROW[column.key]) for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _template_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def template_xlsx() -> bytes:
    """The same as a workbook: the data sheet first (the one imported), then a sheet that explains each column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = gettext("Listings")[:31]
    bold = openpyxl.styles.Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index, value=column.label)
        header.font = bold
        value = EXAMPLE_ROW[column.key]
        cell = sheet.cell(row=2, column=index, value=value if value != "" else None)
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = (
            18 if column.key not in ("abstract", "first_claim", "summary", "title_en", "summary_en") else 40
        )
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif column.key == "application_number":
            cell.number_format = "@"  # text, so Excel never turns a number into 2.01911E+12
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(gettext("Instructions")[:31])
    notes.append([gettext("Column"), gettext("Required"), gettext("What to enter")])
    for cell in notes[1]:
        cell.font = bold
    for column in COLUMNS:
        notes.append([column.label, gettext("yes") if column.required else gettext("no"), str(column.help)])
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
