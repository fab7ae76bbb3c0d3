"""International Patent Classification (IPC) codes: parsing and normalisation.

A full code names a group: section letter A-H, two-digit class, subclass letter, main group (1-4 digits),
'/', subgroup (2-6 digits), written canonically as 'H01M 4/525' or 'G06F 16/33'. Listings are filtered by
prefixes of that hierarchy (section 'H', class 'H01', subclass 'H01M', main group 'H01M 4/'), and the
indicators are broken down by section.

Pure Python on purpose: the Django layer translates the error templates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from marketplace.core.rules import RuleError

# Section letter -> (Chinese title, English title), as in the IPC's official Chinese and English editions.
IPC_SECTIONS: dict[str, tuple[str, str]] = {
    "A": ("人类生活必需", "Human necessities"),
    "B": ("作业；运输", "Performing operations; transporting"),
    "C": ("化学；冶金", "Chemistry; metallurgy"),
    "D": ("纺织；造纸", "Textiles; paper"),
    "E": ("固定建筑物", "Fixed constructions"),
    "F": ("机械工程；照明；加热；武器；爆破", "Mechanical engineering; lighting; heating; weapons; blasting"),
    "G": ("物理", "Physics"),
    "H": ("电学", "Electricity"),
}

MAIN_GROUP_MAX_DIGITS = 4
SUBGROUP_MIN_DIGITS = 2
SUBGROUP_MAX_DIGITS = 6


def gettext_noop(message: str) -> str:
    """Mark a message for makemessages without importing Django: the Django layer translates it on display."""
    return message


# Error templates: English, with %(name)s placeholders, so the Django layer can mark them for translation.
EMPTY_TEMPLATE = gettext_noop("Enter an IPC code, e.g. H01M 4/525.")
SECTION_TEMPLATE = gettext_noop(
    "“%(value)s” does not start with an IPC section: the first character must be a letter from A to H."
)
CLASS_TEMPLATE = gettext_noop("In “%(value)s” the section %(section)s must be followed by a two-digit class, e.g. H01.")
SUBCLASS_TEMPLATE = gettext_noop(
    "In “%(value)s” the class %(class_code)s must be followed by a subclass letter, e.g. H01M."
)
MAIN_GROUP_TEMPLATE = gettext_noop(
    "In “%(value)s” the main group after the subclass %(subclass_code)s must be a number of 1 to 4 digits, "
    "e.g. H01M 4/525."
)
SUBGROUP_TEMPLATE = gettext_noop(
    "In “%(value)s” the subgroup after the slash must have 2 to 6 digits, e.g. 4/00 or 4/525."
)
INCOMPLETE_TEMPLATE = gettext_noop(
    "“%(value)s” is only part of an IPC code: a full code also names the main group and the subgroup, e.g. H01M 4/525."
)
FORMAT_TEMPLATE = gettext_noop("“%(value)s” is not written like an IPC code such as H01M 4/525 or G06F 16/33.")


class IpcCodeError(RuleError):
    """Raw text that is not an (acceptable) IPC code.

    ``code`` is one of 'empty', 'section', 'class', 'subclass', 'main_group', 'subgroup', 'incomplete',
    'format'; ``template % params`` is the message.
    """


@dataclass(frozen=True)
class IpcCode:
    section: str  # 'H'
    class_: str  # '01'
    subclass: str  # 'M'
    main_group: int  # 4
    subgroup: str  # '525'; a string because its digits read as decimals ('5' < '525' < '53')

    @property
    def class_code(self) -> str:
        return f"{self.section}{self.class_}"

    @property
    def subclass_code(self) -> str:
        return f"{self.class_code}{self.subclass}"

    @property
    def main_group_prefix(self) -> str:
        """'H01M 4/': the prefix that finds every code in this main group (and not in 'H01M 40/...')."""
        return f"{self.subclass_code} {self.main_group}/"

    @property
    def normalised(self) -> str:
        return f"{self.main_group_prefix}{self.subgroup}"

    def __str__(self) -> str:
        return self.normalised


@dataclass(frozen=True)
class _Parts:
    """As much of a code as the text gave; later fields are None when the text stopped earlier."""

    section: str
    class_: str | None = None
    subclass: str | None = None
    main_group: int | None = None
    subgroup: str | None = None


# Patent documents print the IPC version after the code, e.g. 'H01M 4/525 (2010.01)' or 'H01M4/525(2010.01)I'
# (the trailing letter marks an inventive or additional classification). It says which edition of the scheme
# the group comes from, not which group, so it is dropped.
_VERSION_SUFFIX = re.compile(r" *\([0-9]{4}\.[0-9]{2}\) *[A-Z]?$")


def _clean(raw: str) -> str:
    # NFKC turns full-width letters, digits, slash, brackets and the ideographic space into ASCII.
    text = unicodedata.normalize("NFKC", raw or "").strip().upper()
    return _VERSION_SUFFIX.sub("", text)


def _parse_parts(raw: str) -> tuple[str, _Parts]:
    """Read the code from the left, level by level, stopping where the text ends; raise on what is wrong."""
    value = _clean(raw)
    if not value:
        raise IpcCodeError("empty", EMPTY_TEMPLATE)

    section = value[0]
    if section not in IPC_SECTIONS:
        raise IpcCodeError("section", SECTION_TEMPLATE, {"value": value})
    rest = value[1:]
    if not rest:
        return value, _Parts(section)

    if not re.match(r"[0-9]{2}", rest):
        raise IpcCodeError("class", CLASS_TEMPLATE, {"value": value, "section": section})
    class_, rest = rest[:2], rest[2:]
    if not rest:
        return value, _Parts(section, class_)

    if not re.match(r"[A-Z]", rest):
        raise IpcCodeError("subclass", SUBCLASS_TEMPLATE, {"value": value, "class_code": section + class_})
    subclass, rest = rest[0], rest[1:].lstrip(" ")
    if not rest:
        return value, _Parts(section, class_, subclass)

    subclass_code = section + class_ + subclass
    main_group_match = re.match(r"[0-9]+", rest)
    if main_group_match is None:
        # Whatever follows the subclass letter is not a number: a letter too many, or '/' with no main group.
        code, template = ("main_group", MAIN_GROUP_TEMPLATE) if rest.startswith("/") else ("format", FORMAT_TEMPLATE)
        raise IpcCodeError(code, template, {"value": value, "subclass_code": subclass_code})
    main_group_digits = main_group_match.group()
    # Leading zeros are padding (the fixed-width 'H01M0004' form); the number itself has at most 4 digits.
    main_group = int(main_group_digits)
    if main_group == 0 or len(str(main_group)) > MAIN_GROUP_MAX_DIGITS:
        raise IpcCodeError("main_group", MAIN_GROUP_TEMPLATE, {"value": value, "subclass_code": subclass_code})
    rest = rest[len(main_group_digits) :].lstrip(" ")
    if not rest:
        return value, _Parts(section, class_, subclass, main_group)

    if not rest.startswith("/"):
        raise IpcCodeError("format", FORMAT_TEMPLATE, {"value": value})
    rest = rest[1:].lstrip(" ")
    if not rest:
        return value, _Parts(section, class_, subclass, main_group)

    subgroup_is_valid = re.fullmatch(r"[0-9]+", rest) and SUBGROUP_MIN_DIGITS <= len(rest) <= SUBGROUP_MAX_DIGITS
    if not subgroup_is_valid:
        raise IpcCodeError("subgroup", SUBGROUP_TEMPLATE, {"value": value})
    return value, _Parts(section, class_, subclass, main_group, subgroup=rest)


def parse_ipc(raw: str) -> IpcCode:
    """Parse a full IPC code ('h01m4/525', 'H01M  4 / 525', full-width...) or raise IpcCodeError."""
    value, parts = _parse_parts(raw)
    if parts.subgroup is None:
        raise IpcCodeError("incomplete", INCOMPLETE_TEMPLATE, {"value": value})
    assert parts.class_ is not None and parts.subclass is not None and parts.main_group is not None
    return IpcCode(
        section=parts.section,
        class_=parts.class_,
        subclass=parts.subclass,
        main_group=parts.main_group,
        subgroup=parts.subgroup,
    )


def parse_ipc_prefix(raw: str) -> str:
    """Normalise an IPC code or any leading part of it into the string used for prefix search.

    'h' -> 'H', 'h01' -> 'H01', 'h01m' -> 'H01M', 'H01M 4' or 'H01M4/' -> 'H01M 4/',
    'h01m4/525' -> 'H01M 4/525'.
    A main group always ends with '/' so that 'H01M 4/' does not also find 'H01M 40/...'.
    """
    _value, parts = _parse_parts(raw)
    if parts.class_ is None:
        return parts.section
    if parts.subclass is None:
        return f"{parts.section}{parts.class_}"
    subclass_code = f"{parts.section}{parts.class_}{parts.subclass}"
    if parts.main_group is None:
        return subclass_code
    return f"{subclass_code} {parts.main_group}/{parts.subgroup or ''}"
