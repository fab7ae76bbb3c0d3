"""Chinese patent application numbers (申请号): parsing, check digit, patent type.

Two formats exist (CNIPA standard ZC 0006-2003):

- since 2003-10-01: 12 digits + check digit, e.g. ``201710601862.3`` —
  4-digit filing year, 1 type digit, 7-digit serial;
- before 2003-10-01: 8 digits + check digit, e.g. ``97101765.4`` —
  2-digit filing year, 1 type digit, 5-digit serial.

The check digit is the weighted sum of the digits, weights 2, 3, 4, 5, 6, 7, 8, 9 repeated from the left,
modulo 11; a remainder of 10 is written ``X``. Once granted, the same number is shown with a ``ZL`` prefix
(专利号); databases often write ``CN`` instead.

Pure Python on purpose: the Django layer (forms, models, API) wraps these functions and translates the error
templates, so every error carries a code, an English template and its parameters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from marketplace.core.rules import RuleError

INVENTION = "invention"
UTILITY_MODEL = "utility_model"
DESIGN = "design"
PATENT_TYPES = (INVENTION, UTILITY_MODEL, DESIGN)

# English words for the types, used inside error messages.
PATENT_TYPE_NAMES = {
    INVENTION: "an invention",
    UTILITY_MODEL: "a utility model",
    DESIGN: "a design",
}

# Type digit -> patent type. 8 and 9 are international (PCT) applications entering the Chinese national phase:
# they become ordinary invention / utility model patents, so they map onto those types.
TYPE_DIGITS = {
    1: INVENTION,
    2: UTILITY_MODEL,
    3: DESIGN,
    8: INVENTION,
    9: UTILITY_MODEL,
}
PCT_TYPE_DIGITS = frozenset({8, 9})

# The 12-digit format started on 2003-10-01, so no 12-digit number can carry an earlier year; the 8-digit
# format was used from the first Patent Law applications (1985) until then.
NEW_FORMAT_FIRST_YEAR = 2003
OLD_FORMAT_FIRST_YEAR = 1985
OLD_FORMAT_LAST_YEAR = 2003

CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)


def gettext_noop(message: str) -> str:
    """Mark a message for makemessages without importing Django: the Django layer translates it on display."""
    return message


# Error templates: English, with %(name)s placeholders, so the Django layer can mark them for translation.
EMPTY_TEMPLATE = gettext_noop("Enter a patent application number.")
FORMAT_CHARACTERS_TEMPLATE = gettext_noop(
    "“%(value)s” is not a patent application number: only digits, an optional CN or ZL prefix, "
    "single spaces, a dot before the check digit and a check digit X are allowed."
)
FORMAT_LENGTH_TEMPLATE = gettext_noop(
    "“%(value)s” has %(length)d digits; a Chinese application number has 13 (12 digits and a check digit, "
    "filed since 1 October 2003) or 9 (8 digits and a check digit, filed earlier)."
)
FORMAT_LAYOUT_TEMPLATE = gettext_noop(
    "“%(value)s” is not written like a patent application number: year, type digit and serial, "
    "then the check digit, e.g. 201710601862.3 or ZL 2017 1 0601862.3."
)
TYPE_UNKNOWN_TEMPLATE = gettext_noop(
    "The type digit %(digit)s of “%(value)s” is not a patent type: it must be 1 (invention), "
    "2 (utility model), 3 (design), 8 (PCT invention) or 9 (PCT utility model)."
)
TYPE_MISMATCH_TEMPLATE = gettext_noop(
    "Application number %(number)s is %(actual_name)s application, but the patent was declared as %(declared_name)s."
)
CHECK_TEMPLATE = gettext_noop(
    "The check digit of %(number)s should be %(expected)s, not %(given)s: one of the digits is probably mistyped."
)
YEAR_FUTURE_TEMPLATE = gettext_noop("The filing year %(year)d of “%(value)s” is in the future.")
YEAR_BEFORE_NEW_FORMAT_TEMPLATE = gettext_noop(
    "The filing year %(year)d of “%(value)s” is too early: 12-digit application numbers exist only "
    "since 1 October 2003."
)
YEAR_OLD_FORMAT_TEMPLATE = gettext_noop(
    "The filing year “%(year)s” of “%(value)s” is impossible: 8-digit application numbers start with "
    "a year from 85 (1985) to 03 (2003)."
)


class ApplicationNumberError(RuleError):
    """A raw application number that cannot be accepted.

    ``code`` is one of 'empty', 'format', 'type', 'check', 'year'; ``template % params`` is the message.
    """


@dataclass(frozen=True)
class ApplicationNumber:
    year: int  # four digits, also for old numbers (97 -> 1997)
    type_digit: int
    serial: str  # 7 digits (new format) or 5 digits (old format), leading zeros kept
    check: str  # '0'-'9' or 'X'
    is_old_format: bool

    @property
    def patent_type(self) -> str:
        return TYPE_DIGITS[self.type_digit]

    @property
    def is_pct(self) -> bool:
        return self.type_digit in PCT_TYPE_DIGITS

    @property
    def digits(self) -> str:
        """The number without its check digit, as the check digit is computed over it."""
        year_digits = f"{self.year % 100:02d}" if self.is_old_format else f"{self.year:04d}"
        return f"{year_digits}{self.type_digit}{self.serial}"

    @property
    def normalised(self) -> str:
        """The canonical writing without prefix: '201710601862.3', '97101765.4'."""
        return f"{self.digits}.{self.check}"

    def with_prefix(self, prefix: str = "CN") -> str:
        return f"{prefix}{self.normalised}"

    def __str__(self) -> str:
        return self.normalised


def compute_check_digit(digits: str) -> str:
    """Check digit of the 12 (or 8) digits of an application number: '0'-'9' or 'X'."""
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError(f"Expected ASCII digits, got {digits!r}")
    total = sum(int(digit) * CHECK_WEIGHTS[index % len(CHECK_WEIGHTS)] for index, digit in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


# After clean-up (NFKC, upper case, stripped): optional CN/ZL prefix and one optional space, then the body.
_PREFIX = re.compile(r"^(?:CN|ZL) ?")
# The standard allows one single-byte space between year and type and between type and serial, nothing
# inside the digit groups; the dot before the check digit is often left out when the number is typed.
_NEW_FORMAT = re.compile(r"^(?P<year>\d{4}) ?(?P<type>\d) ?(?P<serial>\d{7})\.?(?P<check>[0-9X])$", re.ASCII)
_OLD_FORMAT = re.compile(r"^(?P<year>\d{2}) ?(?P<type>\d) ?(?P<serial>\d{5})\.?(?P<check>[0-9X])$", re.ASCII)


def _clean(raw: str) -> str:
    # NFKC turns full-width digits, letters, dot and the ideographic space (typed with a Chinese input method)
    # into their ASCII forms. '。' is what the same input methods produce for '.', so it counts as the dot.
    text = unicodedata.normalize("NFKC", raw).replace("。", ".")
    return text.strip().upper()


def parse_application_number(raw: str, today: date | None = None) -> ApplicationNumber:
    """Parse any common writing of a Chinese application number, or raise ApplicationNumberError.

    Accepted: 'CN201710601862.3', 'ZL 2017 1 0601862.3', '2017106018623', full-width digits, a lower-case
    'x' check digit, the old 8-digit numbers. ``today`` (default: date.today()) bounds the filing year.
    """
    today = today or date.today()
    value = _clean(raw or "")
    body = _PREFIX.sub("", value)
    if not body:
        raise ApplicationNumberError("empty", EMPTY_TEMPLATE)

    match = _NEW_FORMAT.match(body)
    is_old_format = False
    if match is None:
        match = _OLD_FORMAT.match(body)
        is_old_format = True
    if match is None:
        raise _format_error(value, body)

    if is_old_format:
        year = _old_format_year(match["year"], value)
    else:
        year = int(match["year"])
        if year < NEW_FORMAT_FIRST_YEAR:
            raise ApplicationNumberError("year", YEAR_BEFORE_NEW_FORMAT_TEMPLATE, {"year": year, "value": value})
    if year > today.year:
        raise ApplicationNumberError("year", YEAR_FUTURE_TEMPLATE, {"year": year, "value": value})

    type_digit = int(match["type"])
    if type_digit not in TYPE_DIGITS:
        raise ApplicationNumberError("type", TYPE_UNKNOWN_TEMPLATE, {"digit": type_digit, "value": value})

    number = ApplicationNumber(
        year=year,
        type_digit=type_digit,
        serial=match["serial"],
        check=match["check"],
        is_old_format=is_old_format,
    )
    expected = compute_check_digit(number.digits)
    if number.check != expected:
        raise ApplicationNumberError(
            "check",
            CHECK_TEMPLATE,
            {"number": number.digits, "expected": expected, "given": number.check},
        )
    return number


def _old_format_year(two_digits: str, value: str) -> int:
    year = int(two_digits)
    full_year = 1900 + year if year >= OLD_FORMAT_FIRST_YEAR % 100 else 2000 + year
    if not OLD_FORMAT_FIRST_YEAR <= full_year <= OLD_FORMAT_LAST_YEAR:
        raise ApplicationNumberError("year", YEAR_OLD_FORMAT_TEMPLATE, {"year": two_digits, "value": value})
    return full_year


def _format_error(value: str, body: str) -> ApplicationNumberError:
    """Say as precisely as possible why ``body`` matches neither format."""
    if re.search(r"[^0-9X. ]", body):
        return ApplicationNumberError("format", FORMAT_CHARACTERS_TEMPLATE, {"value": value})
    compact = body.replace(" ", "").replace(".", "")
    if len(compact) not in (9, 13):
        return ApplicationNumberError("format", FORMAT_LENGTH_TEMPLATE, {"value": value, "length": len(compact)})
    # Right length but misplaced spaces or dot, or an X that is not the check digit.
    return ApplicationNumberError("format", FORMAT_LAYOUT_TEMPLATE, {"value": value})


def check_declared_type(number: ApplicationNumber | str, declared_type: str) -> ApplicationNumber:
    """Refuse a declared patent type that contradicts the type digit of the application number.

    ``number`` may be raw text (it is parsed first). Returns the parsed number.
    """
    if declared_type not in PATENT_TYPES:
        raise ValueError(f"Unknown patent type {declared_type!r}; expected one of {PATENT_TYPES}")
    if isinstance(number, str):
        number = parse_application_number(number)
    if number.patent_type != declared_type:
        raise ApplicationNumberError(
            "type",
            TYPE_MISMATCH_TEMPLATE,
            {
                "number": number.normalised,
                "actual_type": number.patent_type,
                "declared_type": declared_type,
                "actual_name": PATENT_TYPE_NAMES[number.patent_type],
                "declared_name": PATENT_TYPE_NAMES[declared_type],
            },
        )
    return number
