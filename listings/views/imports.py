"""Bulk import page for sellers: upload a CSV or XLSX file, see a row-by-row report or the counts; and the template."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from listings.importing import COLUMNS, ImportRejected, ImportResult, import_listings, template_csv, template_xlsx
from marketplace.core.spreadsheet_import import web as spreadsheet_web
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import memberships_of


class ImportForm(spreadsheet_web.SpreadsheetUploadForm):
    seller = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Seller"), empty_label=None)

    field_order = ["seller", "file", "validate_only"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = organisations


@login_required
def upload(request):
    organisations = Organisation.objects.filter(id__in=memberships_of(request.user).values("organisation_id")).order_by(
        "name"
    )
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    errors = []
    preview: ImportResult | None = None
    if request.method == "POST" and form.is_valid():
        validate_only = form.cleaned_data["validate_only"]
        upload = form.cleaned_data["file"]
        try:
            result = import_listings(
                source=upload.read(),
                filename=upload.name,
                seller=form.cleaned_data["seller"],
                actor=request.user,
                dry_run=validate_only,
            )
        except ImportRejected as rejection:
            errors = rejection.errors
        else:
            if validate_only:
                preview = result
            else:
                messages.success(request, _imported_message(result))
                return redirect("listings:import")
    context = {
        "form": form,
        "has_organisations": organisations.exists(),
        **spreadsheet_web.report_context(errors),
        "preview": preview,
        "columns": COLUMNS,
    }
    return render(request, "listings/import.html", context)


def _imported_message(result: ImportResult) -> str:
    return gettext(
        "Import finished: %(created)s draft listings created, %(updated)s updated, %(unchanged)s unchanged. "
        "Review the drafts and submit them for publication."
    ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@login_required
def template_download(request, fmt: str):
    return spreadsheet_web.template_download(fmt, csv=template_csv, xlsx=template_xlsx, stem="listings-import-template")
