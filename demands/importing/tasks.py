"""A large demand survey is written by the task runner, so the staff member's request never waits for it."""

import base64

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.tasks import task
from django.utils import translation

from demands.importing import import_demand_survey, result_of_rejection
from marketplace.core.spreadsheet_import import ImportRejected


@task
def import_demand_survey_in_background(*, actor_id: int, content: str, filename: str, publish: bool, language: str):
    """Check the survey again (the database may have moved since the upload) and write it all or not at all, in
    the language of the staff member who uploaded it. Returns {"result": counts} or {"errors": the report}.

    Idempotent: run again after a runner died past its commit, every row finds its demand already there, word
    for word, and counts as unchanged."""
    actor = get_user_model().objects.filter(pk=actor_id, is_active=True).first()
    with translation.override(language):
        if actor is None:
            return {"errors": [[None, None, "", str(PermissionDenied())]]}
        try:
            result = import_demand_survey(
                source=base64.b64decode(content), filename=filename, actor=actor, publish=publish
            )
        except ImportRejected as rejection:
            return {"errors": result_of_rejection(rejection.errors)}
        except PermissionDenied as refusal:
            return {"errors": [[None, None, "", str(refusal)]]}
    return {"result": result.as_dict()}
