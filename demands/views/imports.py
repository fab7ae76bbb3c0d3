"""Centre staff import a demand survey (需求征集表): upload a CSV or XLSX file, see the row-by-row report or the
counts; a large survey is written by the task runner and its page shows the outcome; and the template."""

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from demands.importing import (
    COLUMNS,
    ImportRejected,
    SurveyResult,
    import_demand_survey,
    rejection_of_result,
    survey_template_csv,
    survey_template_xlsx,
)
from demands.importing.tasks import import_demand_survey_in_background
from marketplace.centres.selectors import staff_scope
from marketplace.core.spreadsheet_import import web as spreadsheet_web

# Up to this many rows a survey is written while the page waits; a larger one is checked at once (1,000 rows in
# under a second) and written by the task runner, since every row goes through the demands' services one by one
# (create, submit, publish and its receivers): measured 35 ms a row on SQLite, 70 ms on PostgreSQL on a loaded
# two-core machine, so 50 rows keep the page within a few seconds.
IMMEDIATE_ROWS = 50


class SurveyImportForm(spreadsheet_web.SpreadsheetUploadForm):
    review_first = forms.BooleanField(
        label=_("Send the demands to the moderation queue instead of publishing them"),
        required=False,
        help_text=_("By default the imported demands are published at once, as your centre's moderation."),
    )


def _require_staff(request) -> None:
    if not staff_scope(request.user).is_staff:
        raise PermissionDenied(gettext("Only operation-centre staff import demand surveys."))


@login_required
def survey_import(request):
    _require_staff(request)
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    errors = []
    preview: SurveyResult | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        publish = not form.cleaned_data["review_first"]
        arguments = {"source": content, "filename": upload.name, "actor": request.user, "publish": publish}
        try:
            checked = import_demand_survey(**arguments, dry_run=True)
            if form.cleaned_data["validate_only"]:
                preview = checked
            elif checked.rows > IMMEDIATE_ROWS:
                queued = import_demand_survey_in_background.enqueue(
                    actor_id=request.user.pk,
                    content=base64.b64encode(content).decode("ascii"),
                    filename=upload.name,
                    publish=publish,
                    language=get_language(),
                )
                return redirect("demands:import_status", task_id=queued.id)
            else:
                messages.success(request, imported_message(import_demand_survey(**arguments)))
                return redirect("demands:import")
        except ImportRejected as rejection:
            errors = rejection.errors
    context = {
        "form": form,
        **spreadsheet_web.report_context(errors),
        "preview": preview,
        "columns": COLUMNS,
        "immediate_rows": IMMEDIATE_ROWS,
    }
    return render(request, "demands/import/upload.html", context)


def imported_message(result: SurveyResult) -> str:
    return gettext(
        "Survey imported: %(published)s demands published, %(submitted)s sent to the moderation queue, "
        "%(unchanged)s already on the platform."
    ) % {"published": result.published, "submitted": result.submitted, "unchanged": result.unchanged}


@login_required
def survey_import_status(request, task_id: str):
    """The outcome of a survey the task runner writes; only the person who uploaded it may see it."""
    _require_staff(request)
    try:
        queued = import_demand_survey_in_background.get_result(task_id)
    except (TaskResultDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if queued.kwargs.get("actor_id") != request.user.pk:
        raise Http404
    outcome = queued.return_value if queued.status == TaskResultStatus.SUCCESSFUL else None
    errors = rejection_of_result(outcome["errors"]) if outcome and "errors" in outcome else []
    result = SurveyResult(**outcome["result"]) if outcome and "result" in outcome else None
    context = {
        "filename": queued.kwargs.get("filename", ""),
        "waiting": queued.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING),
        "failed": queued.status == TaskResultStatus.FAILED,
        "result": result,
        **spreadsheet_web.report_context(errors),
    }
    return render(request, "demands/import/status.html", context)


@login_required
def survey_template(request, fmt: str):
    _require_staff(request)
    return spreadsheet_web.template_download(
        fmt, csv=survey_template_csv, xlsx=survey_template_xlsx, stem="demand-survey-template"
    )
