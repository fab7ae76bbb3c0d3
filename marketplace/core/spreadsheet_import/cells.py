"""Reading one cell, for any kind of import: choices in Chinese or English, dates, plain decimals, lists.

Each parser takes the cell's text and returns the value to store, or raises a ValidationError whose message is
in the active language.
"""

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from marketplace.core.spreadsheet_import.columns import normalise_name

NAME_SEPARATORS = re.compile(r"[;；、]")


def vocabulary(choices: type[models.TextChoices], extra: dict[str, str]) -> dict[str, str]:
    """Every accepted writing of a choice -> its code: the code, its label in each site language, and aliases."""
    table: dict[str, str] = {}
    for code, label in choices.choices:
        table[normalise_name(code)] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                table[normalise_name(str(label))] = code
    table.update({normalise_name(alias): code for alias, code in extra.items()})
    return table


def choice_parser(table: dict[str, str], expected: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        code = table.get(normalise_name(text))
        if code is None:
            raise ValidationError(
                gettext("“%(value)s” is not one of: %(expected)s.") % {"value": text, "expected": expected}
            )
        return code

    return parse


_DATE = re.compile(
    r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})")  # 20190315, as CNIPA exports write it


def parse_date(text: str) -> date:
    value = unicodedata.normalize("NFKC", text).strip()
    match = _DATE.fullmatch(value) or _COMPACT_DATE.fullmatch(value)
    if match is None:
        raise ValidationError(
            gettext("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2019-03-15.") % {"value": text}
        )
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ValidationError(gettext("“%(value)s” is not a day of the calendar.") % {"value": text}) from None


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,250,000.00; but never 1,5 (a decimal comma)


def parse_decimal(text: str, *, unit_marks: str = "", decimals: int = 2) -> Decimal:
    """A non-negative decimal written plainly, with optional thousands separators and unit marks (¥, 元, %) at
    either end, and at most `decimals` decimals. Decimal all the way: never a float."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    value = value.strip(unit_marks)
    if value.startswith("-") and (_PLAIN_NUMBER.fullmatch(value[1:]) or _GROUPED_NUMBER.fullmatch(value[1:])):
        raise ValidationError(gettext("“%(value)s” is negative; amounts and rates cannot be.") % {"value": text})
    if _GROUPED_NUMBER.fullmatch(value):
        value = value.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(value):
        raise ValidationError(gettext("“%(value)s” is not a number, e.g. 1250000.00.") % {"value": text})
    if len(value.partition(".")[2]) > decimals:
        raise ValidationError(
            gettext("“%(value)s” has more than %(decimals)s decimals.") % {"value": text, "decimals": decimals}
            if decimals != 2
            else gettext("“%(value)s” has more than 2 decimals.") % {"value": text}
        )
    return Decimal(value)


def split_names(text: str) -> list[str]:
    """Names separated by ; ；or 、, stripped, without repeats, in their order."""
    return list(dict.fromkeys(name.strip() for name in NAME_SEPARATORS.split(text) if name.strip()))
