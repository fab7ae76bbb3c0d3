"""Checking the rows of a file: every cell, the rules between cells, repeated numbers, and conflicts with the
database. Every problem is collected, never just the first."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from listings.fields import clean_application_number, clean_ipc_codes
from listings.importing.cells import (
    LICENCE_TYPE_SEPARATORS,
    Vocabulary,
    parse_offer,
    parse_percent,
    parse_years,
    parse_yuan,
)
from listings.importing.columns import (
    COLUMN_ORDER,
    COLUMNS_BY_KEY,
    LICENCE_COLUMNS,
    LISTING_FIELD_COLUMNS,
    PATENT_FIELD_COLUMNS,
    TERMS_FIELD_COLUMNS,
    ImportResult,
    RowError,
    SourceRow,
)
from listings.importing.state import PlannedRow, RowChanges, count_changes, find_conflicts, load_existing, row_changes
from listings.models import LegalStatus, LicenceType, Listing, ListingTerms, Mode, Patent
from listings.patents import terms as patent_terms
from listings.patents.numbers import ApplicationNumber
from marketplace.core.spreadsheet_import.cells import choice_parser, parse_date, split_names
from marketplace.organisations.models import Organisation


@dataclass
class ImportPlan:
    seller: Organisation
    rows: list[PlannedRow]
    errors: list[RowError]
    changes: list[RowChanges]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def preview(self) -> ImportResult:
        """What executing the plan would do, as far as the database stood when the rows were checked."""
        return count_changes(self.changes)


class _RowCheck:
    """Collects the problems of one row, column by column, instead of stopping at the first."""

    def __init__(self, row: SourceRow):
        self.row = row
        self.errors: list[RowError] = []
        self.failed: set[str | None] = set()

    def text(self, key: str) -> str:
        return self.row.values.get(key, "")

    def fail(self, key: str | None, message: str) -> None:
        self.errors.append(RowError(self.row.number, key, str(message)))
        self.failed.add(key)

    def cell(self, key: str, parse: Callable[[str], Any], *, required: bool = False) -> Any:
        text = self.text(key)
        if not text:
            if required:
                self.fail(key, gettext("This field is required."))
            return None
        try:
            return parse(text)
        except ValidationError as error:
            for message in error.messages:
                self.fail(key, message)
            return None

    def lengths(self, model: type[models.Model], values: dict[str, Any], field_columns: dict[str, str]) -> None:
        """The model's length limits, checked by Django's own validators so the message is Django's translated one.

        The cell parsers already guarantee everything else the model checks (choices, dates, digits, ranges), so
        running Field.clean() on every field would only repeat them, at a cost the bulk import feels."""
        for name, model_field in _length_limited_fields(model):
            key = field_columns[name]
            if key in self.failed or name not in values:
                continue
            try:
                model_field.run_validators(values[name])
            except ValidationError as error:
                for message in error.messages:
                    self.fail(key, message)


@cache
def _length_limited_fields(model: type[models.Model]) -> list[tuple[str, models.Field]]:
    columns = {Patent: PATENT_FIELD_COLUMNS, Listing: LISTING_FIELD_COLUMNS, ListingTerms: TERMS_FIELD_COLUMNS}[model]
    return [(name, model._meta.get_field(name)) for name in columns if model._meta.get_field(name).max_length]


@dataclass
class _Cells:
    """The cells of one row, each parsed (None when empty or unreadable)."""

    number: ApplicationNumber | None
    title: str | None
    ipc_codes: list[str] | None
    filing_date: date | None
    publication_date: date | None
    grant_date: date | None
    legal_status: str | None
    summary: str | None
    maturity: str | None
    licence_types: list[str] | None
    term_years: int | None
    upfront_fee_fen: int | None
    royalty_rate: Decimal | None
    transfer_price_fen: int | None
    equity_value_fen: int | None
    asking_price_fen: int | None


def _check_row(
    row: SourceRow, vocabulary: Vocabulary, today: date
) -> tuple[str | None, PlannedRow | None, list[RowError]]:
    """Check one row. Returns its normalised number (when readable, to find duplicates), and the planned row
    when the row has no problem at all."""
    check = _RowCheck(row)
    cells = _read_cells(check, vocabulary)
    _check_dates(check, cells, today)
    _check_legal_status(check, cells)
    terms = _offered_terms(check, cells)
    listing = _listing_values(check, cells)
    check.lengths(Listing, listing, LISTING_FIELD_COLUMNS)
    for values in terms.values():
        check.lengths(ListingTerms, values, TERMS_FIELD_COLUMNS)
    number = cells.number
    if check.errors:
        return (number.normalised if number else None), None, check.errors

    patent = _patent_values(check, cells)
    check.lengths(Patent, patent, PATENT_FIELD_COLUMNS)
    if check.errors:
        return number.normalised, None, check.errors
    return number.normalised, PlannedRow(row.number, number.normalised, patent, listing, terms), []


def _read_cells(check: _RowCheck, vocabulary: Vocabulary) -> _Cells:
    """Every cell parsed on its own; the patent type first, since the application number is read against it."""
    declared_type = check.cell(
        "patent_type",
        choice_parser(vocabulary.patent_types, "invention, utility_model, design (发明, 实用新型, 外观设计)"),
        required=True,
    )
    return _Cells(
        number=check.cell(
            "application_number",
            lambda text: clean_application_number(text, declared_type=declared_type),
            required=True,
        ),
        title=check.cell("title", str.strip, required=True),
        ipc_codes=check.cell("ipc_codes", clean_ipc_codes, required=True),
        filing_date=check.cell("filing_date", parse_date, required=True),
        publication_date=check.cell("publication_date", parse_date),
        grant_date=check.cell("grant_date", parse_date),
        legal_status=check.cell(
            "legal_status",
            choice_parser(vocabulary.legal_statuses, "granted, published, examination (授权/有效, 公开, 实质审查)"),
            required=True,
        ),
        summary=check.cell("summary", str.strip, required=True),
        maturity=check.cell(
            "maturity",
            choice_parser(
                vocabulary.maturities,
                "concept, lab, pilot, small_batch, mass_production (概念验证, 实验室, 中试, 小批量, 量产)",
            ),
        ),
        licence_types=check.cell("licence_types", lambda text: _licence_types(text, vocabulary)),
        term_years=check.cell("licence_term_years", parse_years),
        upfront_fee_fen=check.cell("upfront_fee_yuan", parse_yuan),
        royalty_rate=check.cell("royalty_rate_percent", parse_percent),
        transfer_price_fen=check.cell("transfer_price_yuan", parse_offer),
        equity_value_fen=check.cell("equity_value_yuan", parse_offer),
        asking_price_fen=check.cell("asking_price_yuan", parse_offer),
    )


def _check_dates(check: _RowCheck, cells: _Cells, today: date) -> None:
    """The filing date against the number's year and the patent's term; no date in the future or before filing."""
    number, filing_date = cells.number, cells.filing_date
    if number and filing_date:
        if filing_date.year != number.year:
            check.fail(
                "filing_date",
                gettext("The filing date %(date)s does not match the year %(year)s in the application number.")
                % {"date": filing_date.isoformat(), "year": number.year},
            )
        elif patent_terms.is_expired(number.patent_type, filing_date, today):
            check.fail(
                "filing_date",
                gettext("The term of this patent ended on %(date)s; an expired patent cannot be listed.")
                % {"date": patent_terms.patent_expiry(number.patent_type, filing_date).isoformat()},
            )
    for key, value in (
        ("filing_date", filing_date),
        ("publication_date", cells.publication_date),
        ("grant_date", cells.grant_date),
    ):
        if value and value > today:
            check.fail(key, gettext("%(date)s is in the future.") % {"date": value.isoformat()})
        elif value and filing_date and value < filing_date:
            check.fail(key, gettext("This date cannot be before the filing date."))


def _check_legal_status(check: _RowCheck, cells: _Cells) -> None:
    """Only granted patents in force and pending applications may be listed; a pending one has no grant date."""
    legal_status = cells.legal_status
    if legal_status and not patent_terms.is_listable(legal_status):
        check.fail(
            "legal_status",
            gettext(
                "A patent whose legal status is “%(status)s” cannot be listed: only granted patents in force "
                "and pending applications can."
            )
            % {"status": LegalStatus(legal_status).label},
        )
    elif legal_status and cells.grant_date and patent_terms.is_pending(legal_status):
        check.fail(
            "grant_date", gettext("A pending application has no grant date; correct the legal status or the date.")
        )


def _offered_terms(check: _RowCheck, cells: _Cells) -> dict[str, dict[str, Any]]:
    """The terms of each mode offered ({mode: field values}); at least one mode, and licence terms only with a
    licence type."""
    terms: dict[str, dict[str, Any]] = {}
    if cells.licence_types:
        terms[Mode.LICENCE] = {
            "licence_types": cells.licence_types,
            "territory": check.text("territory"),
            "field_of_use": check.text("field_of_use"),
            "term_years": cells.term_years,
            "upfront_fee_fen": cells.upfront_fee_fen,
            "royalty_rate": cells.royalty_rate,
        }
    licence_terms_given = [COLUMNS_BY_KEY[key].header for key in LICENCE_COLUMNS if check.text(key)]
    if licence_terms_given and not check.text("licence_types"):
        check.fail(
            "licence_types",
            gettext("Licence terms are filled in (%(columns)s) but no licence type: enter 独占, 排他 or 普通.")
            % {"columns": ", ".join(licence_terms_given)},
        )
    if check.text("transfer_price_yuan"):
        terms[Mode.TRANSFER] = {"price_fen": cells.transfer_price_fen}
    if check.text("equity_value_yuan"):
        terms[Mode.EQUITY] = {"appraised_value_fen": cells.equity_value_fen}
    offered = ("licence_types", "transfer_price_yuan", "equity_value_yuan")
    if not licence_terms_given and not any(check.text(key) for key in offered):
        check.fail(
            None,
            gettext(
                "Offer at least one mode: licence types, a transfer price or an equity value (面议 if negotiable)."
            ),
        )
    return terms


def _listing_values(check: _RowCheck, cells: _Cells) -> dict[str, Any]:
    return {
        "title": cells.title or "",
        "summary": cells.summary or "",
        "title_en": check.text("title_en"),
        "summary_en": check.text("summary_en"),
        "maturity": cells.maturity or "",
        "application_fields": check.text("application_fields"),
        "asking_price_fen": cells.asking_price_fen,
        "price_negotiable": cells.asking_price_fen is None,
    }


def _patent_values(check: _RowCheck, cells: _Cells) -> dict[str, Any]:
    """The patent's fields, from a row whose cells all passed."""
    number, ipc_codes = cells.number, cells.ipc_codes
    return {
        "application_number": number.normalised,
        "patent_type": number.patent_type,
        "is_pct": number.is_pct,
        "title": cells.title,
        "abstract": check.text("abstract"),
        "first_claim": check.text("first_claim"),
        "ipc_codes": ipc_codes,
        # Derived here because bulk writes skip Patent.save(), which derives the same three.
        "main_ipc": ipc_codes[0],
        "ipc_section": ipc_codes[0][0],
        "ipc_class": ipc_codes[0][:3],
        "expiry_date": patent_terms.patent_expiry(number.patent_type, cells.filing_date),
        "filing_date": cells.filing_date,
        "publication_date": cells.publication_date,
        "grant_date": cells.grant_date,
        "legal_status": cells.legal_status,
        "applicant_names": split_names(check.text("applicants")),
        "inventors": split_names(check.text("inventors")),
    }


def _licence_types(text: str, vocabulary: Vocabulary) -> list[str]:
    parse = choice_parser(vocabulary.licence_types, "exclusive, sole, ordinary (独占, 排他, 普通)")
    chosen = {parse(part.strip()) for part in LICENCE_TYPE_SEPARATORS.split(text) if part.strip()}
    if not chosen:
        raise ValidationError(gettext("Name the licences offered: exclusive, sole or ordinary (独占, 排他, 普通)."))
    # Stored in a fixed order, so "普通;独占" and "独占;普通" are the same offer and a re-import changes nothing.
    return [code for code in LicenceType.values if code in chosen]


def validate_rows(rows: Sequence[SourceRow], seller: Organisation, *, today: date | None = None) -> ImportPlan:
    """Check every row and collect every problem: cells, rules between cells, numbers repeated in the file, and
    conflicts with what the database holds (a patent offered by another organisation, a listing under review)."""
    today = today or date.today()
    vocabulary = Vocabulary.build()
    planned: list[PlannedRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        number, planned_row, row_errors = _check_row(row, vocabulary, today)
        errors.extend(row_errors)
        if number is not None:
            first = first_row_of.setdefault(number, row.number)
            if first != row.number:
                errors.append(
                    RowError(
                        row.number,
                        "application_number",
                        gettext("%(number)s is already in row %(row)s of this file; each patent may appear only once.")
                        % {"number": number, "row": first},
                    )
                )
                continue
        if planned_row is not None:
            planned.append(planned_row)

    existing = load_existing(seller, planned)
    changes = [row_changes(row, existing) for row in planned]
    errors.extend(find_conflicts(planned, changes, existing))
    errors.sort(key=lambda error: (error.row_number or 0, COLUMN_ORDER.get(error.column or "", len(COLUMN_ORDER))))
    return ImportPlan(seller=seller, rows=planned, errors=errors, changes=changes)
