"""The columns of an import file, and what the steps hand each other: rows, problems, results."""

import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property


@dataclass(frozen=True)
class Column:
    """One column of an import file: its key (the English name, also accepted as a header), the Chinese header the
    template writes, whether every row must fill it, other headers people use for it, and what to enter."""

    key: str
    header: str  # the Chinese header used in the template
    required: bool
    aliases: tuple[str, ...] = ()
    help: str = ""  # usually a lazy translation

    @property
    def label(self) -> str:
        """How the template writes the header, and how reports name the column: “申请号 (application_number)”."""
        return f"{self.header} ({self.key})"


REQUIRED, OPTIONAL = True, False


@dataclass(frozen=True)
class ColumnSet:
    """The columns of one kind of import file, in the template's order."""

    columns: tuple[Column, ...]
    # Named in the message for a header row that names no known column, e.g. “申请号 or application_number”.
    example: Column | None = None

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    @cached_property
    def order(self) -> dict[str, int]:
        return {column.key: index for index, column in enumerate(self.columns)}

    @cached_property
    def header_names(self) -> dict[str, str]:
        """Every accepted header, normalised -> column key."""
        names: dict[str, str] = {}
        for column in self.columns:
            for name in (column.key, column.header, column.label, *column.aliases):
                names[normalise_name(name)] = column.key
        return names

    def label_of(self, key: str | None) -> str:
        column = self.by_key.get(key or "")
        return column.label if column else key or ""

    def sort_key(self, error: "RowError") -> tuple[int, int]:
        """Row by row, and within a row in the template's column order (whole-row problems last)."""
        return error.row_number or 0, self.order.get(error.column or "", len(self.order))

    def report(self, errors: list["RowError"]) -> list["RowError"]:
        """The errors sorted as the report shows them, each naming its column as the template does."""
        return [replace(error, label=self.label_of(error.column)) for error in sorted(errors, key=self.sort_key)]


# --- Results and errors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: the row as numbered in the spreadsheet (the header is row 1; None: the whole file), the column
    key (None: the whole row), and the reason in the language that was active when it was found. `label` is how
    the report names the column (ColumnSet.report fills it in)."""

    row_number: int | None
    column: str | None
    message: str
    label: str = field(default="", compare=False)

    @property
    def column_label(self) -> str:
        return self.label or self.column or ""


class ImportRejected(Exception):
    """The file cannot be imported; `errors` says every reason found. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the import file")


def rejected(message: str, row_number: int | None = None, column: str | None = None) -> ImportRejected:
    return ImportRejected([RowError(row_number, column, message)])


@dataclass(frozen=True)
class SourceRow:
    number: int  # as numbered in the spreadsheet: the header is row 1
    values: dict[str, str]  # column key -> cell text, stripped; columns missing from the header are absent


def normalise_name(text: str) -> str:
    """How headers and choices are compared: “许可期限（年）” = “许可期限(年)”, “Utility-model” = “utility_model”."""
    # NFKC turns full-width brackets and letters typed with a Chinese input method into ASCII.
    text = unicodedata.normalize("NFKC", text).replace("*", "").casefold()
    return " ".join(text.replace("_", " ").replace("-", " ").split())
