"""Validation of the Chinese unified social credit code (统一社会信用代码, GB 32100-2015).

A code has 18 characters:

- position 1: registration authority (登记管理部门代码), e.g. 1 机构编制, 5 民政, 9 工商;
- position 2: organisation type within that authority (机构类别代码);
- positions 3-8: administrative region of the registering office (GB/T 2260, six digits);
- positions 9-17: organisation code (主体标识码, GB 11714);
- position 18: check character over positions 1-17.

This module is pure Python on purpose: it is used by forms, models, management commands and the
demo data alike, and must stay importable without Django. The Django layer translates the error
messages by wrapping the ``MESSAGE_*`` templates in gettext and interpolating ``error.params``.
"""

import re
import unicodedata

from marketplace.core.rules import RuleError

# The code alphabet leaves out I, O, S, V and Z, which are too easily confused with 1, 0, 5, U and 2.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CHARACTER_VALUES = {character: value for value, character in enumerate(ALPHABET)}
MODULUS = len(ALPHABET)  # 31

# Weight of position i is 3**i mod 31, as tabulated in GB 32100-2015.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

CODE_LENGTH = 18

# Registration authority codes (登记管理部门代码) of GB 32100-2015 and its amendment.
# The list is deliberately the full one rather than only 1, 5, 9 and Y: law firms (3, 司法行政),
# trade unions (8) and rural collectives (N) hold real codes that must not be rejected.
REGISTRATION_AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

# Error codes, so callers can react to the kind of mistake without parsing the message.
ERROR_EMPTY = "empty"
ERROR_LENGTH = "length"
ERROR_CHARACTER = "character"
ERROR_AUTHORITY = "authority"
ERROR_REGION = "region"
ERROR_CHECK = "check"


def gettext_noop(message: str) -> str:
    """Mark a message for makemessages without importing Django: the Django layer translates it on display."""
    return message


# Message templates. They are module-level constants so the Django layer can mark them for
# translation; every placeholder is filled from the error's ``params``.
MESSAGE_EMPTY = gettext_noop("Enter a unified social credit code.")
MESSAGE_LENGTH = gettext_noop("A unified social credit code has 18 characters; this one has %(length)s.")
MESSAGE_CHARACTER = gettext_noop(
    "Character %(position)s ('%(char)s') is not allowed: "
    "the code uses digits and capital letters except I, O, S, V and Z."
)
MESSAGE_AUTHORITY = gettext_noop(
    "Character 1 ('%(char)s') is not a registration authority code: it should be a digit from 1 to 9, or A, N or Y."
)
MESSAGE_REGION = gettext_noop("Characters 3–8 must be a 6-digit region code (GB/T 2260); got '%(region)s'.")
MESSAGE_CHECK = gettext_noop(
    "The check character should be '%(expected)s', not '%(actual)s': a character was probably mistyped."
)

# Separators people type or paste between groups of characters; they carry no meaning.
SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−]+")


class CreditCodeError(RuleError):
    """A credit code that cannot be accepted, with a message that says what is wrong.

    ``code`` names the kind of mistake, ``template`` is one of the ``MESSAGE_*`` constants and
    ``params`` fills its placeholders, so ``str(error) == error.template % error.params``.
    """


def normalise_credit_code(raw: str) -> str:
    """Return ``raw`` as a bare upper-case ASCII code, without judging whether it is valid.

    Codes are often copied from PDFs or typed with a Chinese input method, which yields full-width
    characters (ＡＢ１２) and spaces or hyphens between groups; none of that changes the code.
    """
    # NFKC folds full-width digits, letters, spaces and hyphens into their ASCII forms.
    folded = unicodedata.normalize("NFKC", raw)
    return SEPARATORS.sub("", folded.strip()).upper()


def compute_check_character(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a code."""
    if len(first17) != CODE_LENGTH - 1:
        raise ValueError(f"Expected the first 17 characters of a code, got {len(first17)}.")
    invalid = [character for character in first17 if character not in CHARACTER_VALUES]
    if invalid:
        raise ValueError(f"Characters outside the code alphabet: {''.join(invalid)!r}.")

    weighted_sum = sum(CHARACTER_VALUES[character] * weight for character, weight in zip(first17, WEIGHTS, strict=True))
    # The standard defines the check value as 31 - (sum mod 31), where a result of 31 stands for 0.
    check_value = (MODULUS - weighted_sum % MODULUS) % MODULUS
    return ALPHABET[check_value]


def validate_credit_code(raw: str) -> str:
    """Return the normalised code, or raise ``CreditCodeError`` describing the first problem found.

    The checks run from the most basic to the most specific, so the message always points at the
    mistake the person can fix first.
    """
    code = normalise_credit_code(raw)

    if not code:
        raise CreditCodeError(ERROR_EMPTY, MESSAGE_EMPTY)

    if len(code) != CODE_LENGTH:
        raise CreditCodeError(ERROR_LENGTH, MESSAGE_LENGTH, {"length": len(code)})

    for position, character in enumerate(code, start=1):
        if character not in CHARACTER_VALUES:
            raise CreditCodeError(ERROR_CHARACTER, MESSAGE_CHARACTER, {"position": position, "char": character})

    if code[0] not in REGISTRATION_AUTHORITIES:
        raise CreditCodeError(ERROR_AUTHORITY, MESSAGE_AUTHORITY, {"char": code[0]})

    region = code[2:8]
    # Every character is in the ASCII alphabet by now, so isdigit() only has letters to reject.
    if not region.isdigit():
        raise CreditCodeError(ERROR_REGION, MESSAGE_REGION, {"region": region})

    expected = compute_check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(ERROR_CHECK, MESSAGE_CHECK, {"expected": expected, "actual": code[17]})

    return code
