"""Reading one cell: choices in Chinese or English, dates, money in yuan to fen, rates, years, lists of names.

Each parser takes the cell's text and returns the value to store, or raises a ValidationError whose message is
in the active language.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from listings.importing.columns import normalise_name
from listings.models import LegalStatus, LicenceType, Maturity, PatentType
from listings.patents import terms as patent_terms

# No single patent deal comes near 100亿元 (the whole province's 2020 turnover target was 220亿元); a larger
# amount is a typing error, usually extra zeros.
MAX_AMOUNT_YUAN = Decimal("10000000000")
MAX_LICENCE_YEARS = 30
NEGOTIABLE = {"面议", "议价", "negotiable"}
NAME_SEPARATORS = re.compile(r"[;；、]")
LICENCE_TYPE_SEPARATORS = re.compile(r"[;；,，、/]")


def _vocabulary(choices: type[models.TextChoices], extra: dict[str, str]) -> dict[str, str]:
    """Every accepted writing of a choice -> its code: the code, its label in each site language, and aliases."""
    table: dict[str, str] = {}
    for code, label in choices.choices:
        table[normalise_name(code)] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                table[normalise_name(str(label))] = code
    table.update({normalise_name(alias): code for alias, code in extra.items()})
    return table


@dataclass(frozen=True)
class Vocabulary:
    patent_types: dict[str, str]
    legal_statuses: dict[str, str]
    maturities: dict[str, str]
    licence_types: dict[str, str]

    @classmethod
    def build(cls) -> "Vocabulary":
        legal_extra = {label: code for code, labels in patent_terms.LEGAL_STATUS_LABELS.items() for label in labels}
        legal_extra.update({"有效": LegalStatus.GRANTED, "有权": LegalStatus.GRANTED, "实审": LegalStatus.EXAMINATION})
        return cls(
            patent_types=_vocabulary(
                PatentType,
                {
                    "发明": PatentType.INVENTION,
                    "发明专利": PatentType.INVENTION,
                    "实用新型": PatentType.UTILITY_MODEL,
                    "实用新型专利": PatentType.UTILITY_MODEL,
                    "外观设计": PatentType.DESIGN,
                    "外观设计专利": PatentType.DESIGN,
                    "外观": PatentType.DESIGN,
                },
            ),
            legal_statuses=_vocabulary(LegalStatus, legal_extra),
            maturities=_vocabulary(
                Maturity,
                {
                    "概念": Maturity.CONCEPT,
                    "概念验证": Maturity.CONCEPT,
                    "原理验证": Maturity.CONCEPT,
                    "实验室": Maturity.LAB,
                    "实验室样机": Maturity.LAB,
                    "小试": Maturity.LAB,
                    "中试": Maturity.PILOT,
                    "现场试验": Maturity.PILOT,
                    "小批量": Maturity.SMALL_BATCH,
                    "小批量生产": Maturity.SMALL_BATCH,
                    "量产": Maturity.MASS_PRODUCTION,
                    "批量生产": Maturity.MASS_PRODUCTION,
                    "规模化生产": Maturity.MASS_PRODUCTION,
                    "产业化": Maturity.MASS_PRODUCTION,
                },
            ),
            licence_types=_vocabulary(
                LicenceType,
                {
                    "独占": LicenceType.EXCLUSIVE,
                    "独占许可": LicenceType.EXCLUSIVE,
                    "排他": LicenceType.SOLE,
                    "排他许可": LicenceType.SOLE,
                    "普通": LicenceType.ORDINARY,
                    "普通许可": LicenceType.ORDINARY,
                    "非独占": LicenceType.ORDINARY,
                    "non exclusive": LicenceType.ORDINARY,
                },
            ),
        )


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


def _decimal(text: str, *, unit_marks: str) -> Decimal:
    """A non-negative decimal written plainly, with optional thousands separators and unit marks (¥, 元, %)."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    value = value.strip(unit_marks)
    if value.startswith("-") and (_PLAIN_NUMBER.fullmatch(value[1:]) or _GROUPED_NUMBER.fullmatch(value[1:])):
        raise ValidationError(gettext("“%(value)s” is negative; amounts and rates cannot be.") % {"value": text})
    if _GROUPED_NUMBER.fullmatch(value):
        value = value.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(value):
        raise ValidationError(gettext("“%(value)s” is not a number, e.g. 1250000.00.") % {"value": text})
    if len(value.partition(".")[2]) > 2:
        raise ValidationError(gettext("“%(value)s” has more than 2 decimals.") % {"value": text})
    return Decimal(value)


def parse_yuan(text: str) -> int:
    """An amount in yuan (元) with at most 2 decimals -> integer fen. Decimal all the way: never a float."""
    amount = _decimal(text, unit_marks="¥元")
    if amount > MAX_AMOUNT_YUAN:
        raise ValidationError(
            gettext("%(value)s yuan is more than %(limit)s yuan: check for extra zeros.")
            % {"value": text, "limit": f"{MAX_AMOUNT_YUAN:,}"}
        )
    return int(amount * 100)


def parse_offer(text: str) -> int | None:
    """A price that offers a mode: an amount in fen, or None when it is offered at a negotiable price (面议)."""
    if normalise_name(text) in NEGOTIABLE:
        return None
    return parse_yuan(text)


def parse_percent(text: str) -> Decimal:
    rate = _decimal(text, unit_marks="%")
    if rate > 100:
        raise ValidationError(gettext("A royalty rate is at most 100%%, not %(value)s.") % {"value": text})
    return rate


def parse_years(text: str) -> int:
    value = unicodedata.normalize("NFKC", text).strip().removesuffix("年").strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_LICENCE_YEARS:
        raise ValidationError(
            gettext("“%(value)s” is not a whole number of years from 1 to %(max)s.")
            % {"value": text, "max": MAX_LICENCE_YEARS}
        )
    return int(value)


def split_names(text: str) -> list[str]:
    return list(dict.fromkeys(name.strip() for name in NAME_SEPARATORS.split(text) if name.strip()))
