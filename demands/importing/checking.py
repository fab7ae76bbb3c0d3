"""Checking a demand survey's rows: each as the demand form checks it, plus whose it is, whether the importing
staff's centre hosts that organisation, titles repeated in the file, and what the organisations already have.
Every problem is collected, never just the first."""

from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from demands.forms import DemandForm
from demands.importing.columns import (
    FORM_FIELD_COLUMNS,
    ORGANISATION_COLUMNS,
    Vocabulary,
    deal_kinds_of,
    parse_10k_yuan,
)
from demands.models import ContactPolicy, Demand, DemandStatus
from demands.services import OPEN_STATES, organisation_unverified_message
from marketplace.centres.selectors import staff_scope
from marketplace.core.spreadsheet_import import RowError, SourceRow
from marketplace.core.spreadsheet_import.cells import choice_parser, parse_date
from marketplace.organisations.models import Organisation
from marketplace.organisations.validators import clean_credit_code

# --- Checking the rows --------------------------------------------------------------------------------------


@dataclass
class PlannedDemand:
    """A valid row: its organisation and the demand's fields, as the form cleaned them (the service's input)."""

    row_number: int
    organisation: Organisation
    fields: dict[str, Any]
    existing: Demand | None = None  # the organisation's open demand that already says exactly this


@dataclass
class SurveyResult:
    published: int = 0
    submitted: int = 0
    unchanged: int = 0

    @property
    def created(self) -> int:
        return self.published + self.submitted

    @property
    def rows(self) -> int:
        return self.created + self.unchanged

    def as_dict(self) -> dict[str, int]:
        return {"published": self.published, "submitted": self.submitted, "unchanged": self.unchanged}


@dataclass
class SurveyPlan:
    rows: list[PlannedDemand]
    errors: list[RowError]
    publish: bool

    def preview(self) -> SurveyResult:
        new = sum(1 for row in self.rows if row.existing is None)
        return SurveyResult(
            published=new if self.publish else 0,
            submitted=0 if self.publish else new,
            unchanged=len(self.rows) - new,
        )


@dataclass
class _Organisations:
    """The organisations a file names, fetched a few queries at a time."""

    by_code: dict[str, Organisation] = field(default_factory=dict)
    by_name: dict[str, list[Organisation]] = field(default_factory=dict)

    @classmethod
    def load(cls, codes: set[str], names: set[str]) -> "_Organisations":
        found = cls()
        queryset = Organisation.objects.select_related("centre")
        codes_list, names_list = sorted(codes), sorted(names)
        for start in range(0, len(codes_list), 500):
            for organisation in queryset.filter(credit_code__in=codes_list[start : start + 500]):
                found.by_code[organisation.credit_code] = organisation
        for start in range(0, len(names_list), 500):
            for organisation in queryset.filter(name__in=names_list[start : start + 500]).order_by("pk"):
                found.by_name.setdefault(organisation.name, []).append(organisation)
        return found


def _fail(errors: list[RowError], row: SourceRow, column: str | None, message) -> None:
    errors.append(RowError(row.number, column, str(message)))


def _organisation_of(row: SourceRow, known: _Organisations, actor, errors: list[RowError]) -> Organisation | None:
    raw_code, name = row.values.get("credit_code", ""), row.values.get("organisation", "")
    if not raw_code and not name:
        _fail(errors, row, "organisation", gettext("Name the organisation: its credit code or its name."))
        return None
    by_code = by_name = None
    if raw_code:
        try:
            code = clean_credit_code(raw_code)
        except ValidationError as error:
            for message in error.messages:
                _fail(errors, row, "credit_code", message)
            return None
        by_code = known.by_code.get(code)
        if by_code is None:
            _fail(
                errors,
                row,
                "credit_code",
                gettext("No organisation on the platform has the credit code %(code)s.") % {"code": code},
            )
            return None
    if name:
        matches = known.by_name.get(name, [])
        if by_code is None and not matches:
            _fail(
                errors,
                row,
                "organisation",
                gettext("No organisation on the platform is named “%(name)s”; check the name or give its credit code.")
                % {"name": name},
            )
            return None
        if by_code is None and len(matches) > 1:
            _fail(
                errors,
                row,
                "organisation",
                gettext("Several organisations are named “%(name)s”; give the credit code of the one you mean.")
                % {"name": name},
            )
            return None
        by_name = matches[0] if by_code is None else None
        if by_code is not None and by_code.name != name:
            _fail(
                errors,
                row,
                "organisation",
                gettext("The credit code belongs to %(organisation)s, not to “%(name)s”.")
                % {"organisation": by_code.name, "name": name},
            )
            return None
    organisation = by_code or by_name
    if not staff_scope(actor).covers(organisation.centre_id):
        _fail(
            errors,
            row,
            "organisation" if not raw_code else "credit_code",
            gettext(
                "%(organisation)s is hosted by %(centre)s, not by your centre or a centre below it; "
                "its staff import its demands."
            )
            % {"organisation": organisation.name, "centre": organisation.centre.local_name},
        )
        return None
    if not organisation.verified:
        column = "organisation" if not raw_code else "credit_code"
        _fail(errors, row, column, organisation_unverified_message(organisation))
        return None
    return organisation


def _form_data(row: SourceRow, vocabulary: Vocabulary, errors: list[RowError]) -> tuple[dict, set[str]]:
    """The row as the demand form's POST data, and the columns that could not be read (already reported)."""
    values = row.values
    failed: set[str] = set()
    data: dict[str, Any] = {
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "title_en": values.get("title_en", ""),
        "summary_en": values.get("summary_en", ""),
        "ipc_codes": values.get("ipc_codes", ""),
    }

    def read(key: str, parse, form_field: str, default: Any = "") -> None:
        text = values.get(key, "")
        if not text:
            data[form_field] = default
            return
        try:
            data[form_field] = parse(text)
        except ValidationError as error:
            failed.add(key)
            for message in error.messages:
                _fail(errors, row, key, message)

    read(
        "field",
        choice_parser(vocabulary.fields, "A–H, e.g. H or 电学"),
        "field",
    )
    read("deal_kinds", lambda text: deal_kinds_of(text, vocabulary), "deal_kinds", [])
    read("budget_min_10k_yuan", lambda text: _yuan_text(parse_10k_yuan(text)), "budget_min_fen")
    read("budget_max_10k_yuan", lambda text: _yuan_text(parse_10k_yuan(text)), "budget_max_fen")
    cities = "杭州, 宁波, 温州, 嘉兴, 湖州, 绍兴, 金华, 衢州, 舟山, 台州, 丽水"
    read("city", choice_parser(vocabulary.cities, cities), "city")
    read("deadline", lambda text: parse_date(text).isoformat(), "deadline")
    read(
        "contact_policy",
        choice_parser(vocabulary.contact_policies, "公开, 经纪人 (open, broker)"),
        "contact_policy",
        ContactPolicy.OPEN,
    )
    return data, failed


def _yuan_text(fen: int | None) -> str:
    return "" if fen is None else format(Decimal(fen) / 100, "f")


def _same(demand: Demand, fields: dict[str, Any]) -> bool:
    for name, value in fields.items():
        if name == "deal_kinds":
            if sorted(demand.deal_kinds) != sorted(value):
                return False
        elif getattr(demand, name) != value:
            return False
    return True


def open_demands_by_title(organisation_ids: set[int]) -> dict[tuple[int, str], Demand]:
    found: dict[tuple[int, str], Demand] = {}
    queryset = Demand.objects.filter(organisation_id__in=organisation_ids, status__in=OPEN_STATES).order_by("pk")
    for demand in queryset:
        found.setdefault((demand.organisation_id, demand.title), demand)
    return found


def existing_conflicts(rows: list[PlannedDemand], existing: dict[tuple[int, str], Demand]) -> list[RowError]:
    """Mark rows the organisation already has, word for word; refuse those it has with other content."""
    errors = []
    for row in rows:
        demand = existing.get((row.organisation.id, row.fields["title"]))
        if demand is None:
            row.existing = None
        elif _same(demand, row.fields):
            row.existing = demand
        else:
            errors.append(
                RowError(
                    row.row_number,
                    "title",
                    gettext(
                        "%(organisation)s already has an open demand with this title (#%(id)s, %(status)s) that says "
                        "something else; the organisation changes it in its workspace, or give this row another title."
                    )
                    % {
                        "organisation": row.organisation.name,
                        "id": demand.pk,
                        "status": DemandStatus(demand.status).label,
                    },
                )
            )
    return errors


def check_survey(rows: list[SourceRow], *, actor, publish: bool = True) -> SurveyPlan:
    """Check every row as the demand form checks it, plus who the organisation is and whether the actor's centre
    hosts it, titles repeated in the file, and what the organisations already have. Every problem is collected."""
    errors: list[RowError] = []
    if rows and not any(key in rows[0].values for key in ORGANISATION_COLUMNS):
        errors.append(
            RowError(
                1,
                None,
                gettext("The file needs a column that names the organisation: 统一社会信用代码 or 单位名称."),
            )
        )
        return SurveyPlan(rows=[], errors=errors, publish=publish)
    vocabulary = Vocabulary.build()
    codes: set[str] = set()
    for row in rows:
        with suppress(ValidationError):  # a bad code is reported with its row
            codes.add(clean_credit_code(row.values.get("credit_code", "")))
    names = {row.values["organisation"] for row in rows if row.values.get("organisation")}
    known = _Organisations.load(codes, names)

    planned: list[PlannedDemand] = []
    first_row_of: dict[tuple[int, str], int] = {}
    for row in rows:
        row_errors: list[RowError] = []
        organisation = _organisation_of(row, known, actor, row_errors)
        data, failed = _form_data(row, vocabulary, row_errors)
        form = DemandForm(data={key: value for key, value in data.items() if key not in failed})
        form.is_valid()
        for form_field, messages in form.errors.items():
            column = FORM_FIELD_COLUMNS.get(form_field)
            if column in failed:
                continue
            for message in messages:
                _fail(row_errors, row, column, message)
        errors.extend(row_errors)
        if row_errors or organisation is None:
            continue
        key = (organisation.id, form.cleaned_data["title"])
        first = first_row_of.setdefault(key, row.number)
        if first != row.number:
            errors.append(
                RowError(
                    row.number,
                    "title",
                    gettext("%(organisation)s's demand “%(title)s” is already in row %(row)s of this file.")
                    % {"organisation": organisation.name, "title": key[1], "row": first},
                )
            )
            continue
        planned.append(PlannedDemand(row.number, organisation, dict(form.cleaned_data)))
    existing = open_demands_by_title({row.organisation.id for row in planned})
    errors.extend(existing_conflicts(planned, existing))
    return SurveyPlan(rows=planned, errors=errors, publish=publish)
