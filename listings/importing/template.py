"""The downloadable template: the header row and one realistic example row, as CSV and as XLSX."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from listings.importing.columns import COLUMNS
from listings.patents.numbers import compute_check_digit
from marketplace.core.spreadsheet_import import template as spreadsheet_template

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
    return spreadsheet_template.template_csv(COLUMNS, EXAMPLE_ROW)


def template_xlsx() -> bytes:
    """The same as a workbook: the data sheet first (the one imported), then a sheet that explains each column."""
    return spreadsheet_template.template_xlsx(
        COLUMNS,
        EXAMPLE_ROW,
        sheet_title=gettext("Listings"),
        wide=("abstract", "first_claim", "summary", "title_en", "summary_en"),
        text=("application_number",),
    )
