"""Malformed import files and values beyond tests/listings/test_import.py: a clear error, never a 500."""

import io
import zipfile
from datetime import date

import pytest
from django.utils import translation

from listings.importing import ImportRejected, parse_file, validate_rows
from listings.models import Listing
from tests.listings.test_import import csv_file, good_row, table_counts, upload, xlsx_file

pytestmark = pytest.mark.django_db

UNREADABLE_XLSX = "cannot be read; open it in Excel and save it again"


def problems(content: bytes, seller) -> list[tuple[int | None, str | None, str]]:
    """(row, column, message) for a whole-file rejection or for the rows' errors, in English."""
    with translation.override("en"):
        try:
            rows = parse_file(content)
        except ImportRejected as rejected:
            return [(error.row_number, error.column, str(error.message)) for error in rejected.errors]
        plan = validate_rows(rows, seller, today=date(2026, 11, 25))
    return [(error.row_number, error.column, str(error.message)) for error in plan.errors]


def rewritten_workbook(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through change(xml) -> bytes | None (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.endswith("worksheets/sheet1.xml"):
                data = change(data)
                if data is None:
                    continue
            target.writestr(name, data)
    return output.getvalue()


def _good_workbook() -> bytes:
    return xlsx_file([good_row(1), good_row(2)])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda good: good[: len(good) // 2], id="cut-in-half"),
        pytest.param(lambda good: good[:-30], id="end-of-archive-missing"),
        pytest.param(lambda good: rewritten_workbook(good, lambda xml: xml[: len(xml) // 2]), id="sheet-xml-cut"),
        pytest.param(lambda good: rewritten_workbook(good, lambda xml: None), id="sheet-missing"),
    ],
)
def test_a_truncated_or_damaged_xlsx_is_refused_with_advice_and_nothing_is_imported(world, client_for, damage):
    content = damage(_good_workbook())
    found = problems(content, world.university)
    assert len(found) == 1 and found[0][:2] == (None, None) and UNREADABLE_XLSX in found[0][2]
    response = upload(client_for(world.seller), content, world.university, name="listings.xlsx")
    assert response.status_code == 200
    [error] = response.context["errors"]
    assert error.row_number is None and str(error.message)
    assert table_counts() == (0, 0, 0, 0)


def test_a_gbk_csv_with_chinese_headers_imports(world, client_for):
    # What Excel on a Chinese Windows writes for "CSV (逗号分隔)": GBK, no BOM, Chinese headers.
    upload(client_for(world.seller), csv_file([good_row(1)], headers="zh", encoding="gbk"), world.university)
    assert Listing.objects.get().title == "一种固态电解质及其制备方法 1"


def test_a_csv_mixing_utf8_and_gbk_rows_is_refused_as_a_whole_with_advice(world, client_for):
    utf8 = csv_file([good_row(1)], encoding="utf-8")
    gbk_row = csv_file([good_row(2)], encoding="gbk").split(b"\n", 1)[1]
    found = problems(utf8 + gbk_row, world.university)
    assert len(found) == 1 and found[0][:2] == (None, None)
    assert "UTF-8 or GB18030" in found[0][2]
    upload(client_for(world.seller), utf8 + gbk_row, world.university)
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2019-02-30", "is not a day of the calendar"),
        ("2019-13-01", "is not a day of the calendar"),
        ("0000-00-00", "is not a day of the calendar"),
        ("明天", "write it as YYYY-MM-DD"),
        ("99999-01-01", "write it as YYYY-MM-DD"),
        ("43563", "write it as YYYY-MM-DD"),  # an Excel serial number typed as text
    ],
)
def test_an_impossible_or_unreadable_date_is_refused_naming_the_row_and_column(world, written, reason):
    found = problems(csv_file([good_row(1, filing_date=written)]), world.university)
    assert [(row, column) for row, column, _message in found] == [(2, "filing_date")]
    assert reason in found[0][2] and written in found[0][2]


@pytest.mark.parametrize("written", ["2019/4/8", "2019年4月8日", "2019-04-08T00:00"])
def test_common_writings_of_a_real_date_are_understood(world, written):
    assert problems(csv_file([good_row(1, filing_date=written)]), world.university) == []


@pytest.mark.parametrize(
    ("column", "cell", "reason"),
    [
        ("filing_date", 43563, "is not a date"),  # a date cell that lost its date format
        ("filing_date", True, "is not a date"),
        ("filing_date", "#VALUE!", "is not a date"),  # Excel's cached error value
        ("upfront_fee_yuan", -5.5, "is negative"),
        ("upfront_fee_yuan", True, "is not a number"),
        ("upfront_fee_yuan", "#DIV/0!", "is not a number"),
        ("royalty_rate_percent", "-1", "is negative"),
        ("royalty_rate_percent", 150, "at most 100%"),
        ("licence_term_years", 5.5, "is not a whole number of years"),
        ("licence_term_years", -1, "is not a whole number of years"),
    ],
)
def test_xlsx_cells_of_the_wrong_kind_are_refused_like_typed_text(world, column, cell, reason):
    found = problems(xlsx_file([good_row(1, **{column: cell})]), world.university)
    assert [(row, where) for row, where, _message in found] == [(2, column)]
    assert reason in found[0][2]
