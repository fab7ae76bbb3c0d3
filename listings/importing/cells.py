"""Reading one cell of a listing import: patent types, legal statuses, maturities and licence types in Chinese or
English, money in yuan to fen, rates, years. Dates, plain decimals, choices and lists of names are read by
marketplace.core.spreadsheet_import.cells, as for every import.

Each parser takes the cell's text and returns the value to store, or raises a ValidationError whose message is
in the active language.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from listings.models import LegalStatus, LicenceType, Maturity, PatentType
from listings.patents import terms as patent_terms
from marketplace.core.spreadsheet_import.cells import parse_decimal, vocabulary
from marketplace.core.spreadsheet_import.columns import normalise_name

# No single patent deal comes near 100亿元 (the whole province's 2020 turnover target was 220亿元); a larger
# amount is a typing error, usually extra zeros.
MAX_AMOUNT_YUAN = Decimal("10000000000")
MAX_LICENCE_YEARS = 30
NEGOTIABLE = {"面议", "议价", "negotiable"}
LICENCE_TYPE_SEPARATORS = re.compile(r"[;；,，、/]")


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
            patent_types=vocabulary(
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
            legal_statuses=vocabulary(LegalStatus, legal_extra),
            maturities=vocabulary(
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
            licence_types=vocabulary(
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


def parse_yuan(text: str) -> int:
    """An amount in yuan (元) with at most 2 decimals -> integer fen. Decimal all the way: never a float."""
    amount = parse_decimal(text, unit_marks="¥元")
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
    rate = parse_decimal(text, unit_marks="%")
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
