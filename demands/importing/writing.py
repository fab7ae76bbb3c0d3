"""Writing a checked demand survey: one transaction, every demand through the demands' services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from demands.importing.checking import (
    PlannedDemand,
    SurveyPlan,
    SurveyResult,
    existing_conflicts,
    open_demands_by_title,
)
from demands.importing.columns import FORM_FIELD_COLUMNS
from demands.models import DemandStatus
from demands.services import demand_create, demand_set_status
from marketplace.core.spreadsheet_import import ImportRejected, RowError
from marketplace.organisations.models import Organisation

# --- Writing ------------------------------------------------------------------------------------------------


def _service_errors(row: PlannedDemand, error: ValidationError) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(row.row_number, FORM_FIELD_COLUMNS.get(name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(row.row_number, None, message) for message in error.messages]


def write_survey(plan: SurveyPlan, *, actor, filename: str = "") -> SurveyResult:
    """Write a valid plan in one transaction, through the demands' services: create each new demand for its
    organisation, submit it as the platform and (unless the plan keeps them for the queue) publish it as `actor`.

    The organisations are locked and what they have is read again inside the transaction, so two imports of the
    same survey cannot both create its demands. A service that refuses a row rejects the whole file.
    """
    if plan.errors:
        raise ValueError("a survey plan with errors cannot be written")
    result = SurveyResult()
    errors: list[RowError] = []
    note = gettext("Imported by %(person)s from the demand survey %(file)s.") % {
        "person": actor.get_full_name() or actor.email,
        "file": filename or "?",
    }
    with transaction.atomic():
        organisation_ids = sorted({row.organisation.id for row in plan.rows})
        list(Organisation.objects.select_for_update().filter(pk__in=organisation_ids).values_list("pk"))
        errors.extend(existing_conflicts(plan.rows, open_demands_by_title(set(organisation_ids))))
        for row in plan.rows:
            if errors or row.existing is not None:
                result.unchanged += row.existing is not None
                continue
            try:
                # As the platform (actor None): the organisation's membership is not the importer's; the centre's
                # right to import for it was checked with the row.
                with transaction.atomic():
                    demand = demand_create(actor=None, organisation=row.organisation, **row.fields)
                    demand = demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=None, note=note)
                    if plan.publish:
                        demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=actor)
            except ValidationError as error:
                errors.extend(_service_errors(row, error))
                continue
            except PermissionDenied as error:
                errors.append(RowError(row.row_number, "organisation", str(error)))
                continue
            if plan.publish:
                result.published += 1
            else:
                result.submitted += 1
        if errors:
            raise ImportRejected(errors)
    return result
