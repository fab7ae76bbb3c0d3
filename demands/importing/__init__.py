"""A centre's demand survey (需求征集表) imported in bulk: one row per technology demand of an organisation the
centre hosts, all rows or none, with the row-by-row report every import shows.

The file is read, checked and written by marketplace.core.spreadsheet_import, the listing import's own machinery;
this module says what a row is. Each row is checked by the organisation's demand form itself (`DemandForm`: the
field, the IPC classes, the kinds of deal, the budget's order, a deadline in the future) and written by the same
services the form's view calls (`demand_create`, `demand_set_status`), so an imported demand obeys every rule a
typed one does.

Who may import, and what becomes of the rows: staff of an operation centre, for organisations hosted by their
centre or a centre below it (marketplace.centres' staff scope, the same rule that lets them moderate those
organisations' demands). A centre collects a survey from the firms it serves and checks the answers before it
uploads them; its staff are the moderators of exactly these demands, so making them approve each row again in the
queue would be a second click on their own work. The import therefore records each demand for its organisation,
submits it as the platform (the state machine lets SYSTEM submit what it recorded for an organisation, with the
importing staff member and the file named in the audit note) and publishes it as the importing staff member,
which the audit trail shows as that person's act. A centre that wants a colleague to look first ticks “send to
the moderation queue”: the demands then stop at SUBMITTED and wait in the queue like any other.

A row the organisation already has as an open demand with the same title and the same content is left alone
(counted as unchanged), so a survey that grows and is uploaded again adds only its new rows; the same title with
different content is an error, since changing a published demand is the organisation's edit, not the centre's.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from demands.importing.checking import SurveyPlan, SurveyResult, check_survey
from demands.importing.columns import COLUMNS, survey_template_csv, survey_template_xlsx
from demands.importing.writing import write_survey
from marketplace.centres.selectors import staff_scope
from marketplace.core.spreadsheet_import import ImportRejected, RowError, SourceRow, run_import

__all__ = [
    "COLUMNS",
    "ImportRejected",
    "SurveyImporter",
    "SurveyResult",
    "import_demand_survey",
    "rejection_of_result",
    "result_of_rejection",
    "survey_template_csv",
    "survey_template_xlsx",
]


@dataclass
class SurveyImporter:
    """The demand survey import as marketplace.core.spreadsheet_import.run_import runs it."""

    actor: Any
    publish: bool = True
    filename: str = ""
    columns = COLUMNS

    def check(self, rows: list[SourceRow]) -> SurveyPlan:
        return check_survey(rows, actor=self.actor, publish=self.publish)

    def preview(self, plan: SurveyPlan) -> SurveyResult:
        return plan.preview()

    def write(self, plan: SurveyPlan) -> SurveyResult:
        return write_survey(plan, actor=self.actor, filename=self.filename)


def import_demand_survey(
    *, source: bytes | str | Path, filename: str, actor, publish: bool = True, dry_run: bool = False
) -> SurveyResult:
    """Read, check and (unless `dry_run`) import a centre's demand survey for the organisations it hosts.

    Only operation-centre staff may import. Raises ImportRejected with every problem found, row by row; then
    nothing was written.
    """
    if not staff_scope(actor).is_staff:
        raise PermissionDenied(gettext("Only operation-centre staff import demand surveys."))
    importer = SurveyImporter(actor=actor, publish=publish, filename=filename)
    return run_import(importer, source=source, filename=filename, dry_run=dry_run)


def result_of_rejection(errors: list[RowError]) -> list[list]:
    """A report as the task runner stores it (JSON): [row, column, label, message] per problem."""
    return [[error.row_number, error.column, error.column_label, error.message] for error in errors]


def rejection_of_result(stored: list[list]) -> list[RowError]:
    return [RowError(row, column, message, label=label) for row, column, label, message in stored]
