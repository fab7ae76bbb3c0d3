"""`manage.py import_listings FILE --seller CREDIT_CODE [--dry-run]`: the bulk import, for operators and scripts."""

import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from listings.importing import ImportRejected, RowError, import_listings
from marketplace.organisations.models import Organisation
from marketplace.organisations.validators import clean_credit_code


class Command(BaseCommand):
    help = (
        "Import listings from a CSV or XLSX file for one seller: every row is checked first, and nothing is "
        "imported unless all rows are valid. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file with the columns of the import template")
        parser.add_argument("--seller", required=True, help="the seller's unified social credit code")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")

    def handle(self, *args, file: str, seller: str, dry_run: bool, **options):
        organisation = _seller(seller)
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(gettext("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error}) from None
        try:
            result = import_listings(
                source=data, filename=Path(file).name, seller=organisation, actor=None, dry_run=dry_run
            )
        except ImportRejected as rejection:
            self.stdout.write(format_report(rejection.errors))
            raise CommandError(
                ngettext(
                    "%(count)d problem found; nothing was imported.",
                    "%(count)d problems found; nothing was imported.",
                    len(rejection.errors),
                )
                % {"count": len(rejection.errors)}
            ) from None
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        if dry_run:
            message = gettext(
                "The file is valid (%(rows)s rows). Nothing was written; importing it would create %(created)s "
                "draft listings, update %(updated)s and leave %(unchanged)s unchanged."
            )
        else:
            message = gettext(
                "Imported %(rows)s rows for %(seller)s: %(created)s draft listings created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
        self.stdout.write(self.style.SUCCESS(message % {"rows": result.rows, "seller": organisation.name, **counts}))


def _seller(raw_code: str) -> Organisation:
    try:
        code = clean_credit_code(raw_code)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    organisation = Organisation.objects.filter(credit_code=code).first()
    if organisation is None:
        raise CommandError(gettext("No organisation on the platform has the credit code %(code)s.") % {"code": code})
    return organisation


def format_report(errors: list[RowError]) -> str:
    """The problems as a plain-text table: row, column, reason."""
    table = [(gettext("Row"), gettext("Column"), gettext("Reason"))]
    table += [(str(error.row_number or gettext("file")), error.column_label or "—", error.message) for error in errors]
    row_width = max(_width(line[0]) for line in table)
    column_width = max(_width(line[1]) for line in table)
    return "\n".join(f"{_pad(row, row_width)}  {_pad(column, column_width)}  {reason}" for row, column, reason in table)


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
