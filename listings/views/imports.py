"""Bulk import page for sellers: upload a CSV or XLSX file, see a row-by-row report or the counts; and the template."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from listings.importing import (
    COLUMNS,
    MAX_UPLOAD_BYTES,
    ImportRejected,
    ImportResult,
    import_listings,
    template_csv,
    template_xlsx,
)
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import memberships_of

MAX_REPORTED_ERRORS = 500  # a file that is wrong everywhere would otherwise make a page of many megabytes

TEMPLATE_FORMATS = {
    "csv": ("text/csv; charset=utf-8", template_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", template_xlsx),
}


class ImportForm(forms.Form):
    seller = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Seller"), empty_label=None)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or XLSX, at most 5 MB, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    validate_only = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = organisations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("The file is %(size)s MB; the limit is %(limit)s MB. Split it into several files.")
                % {"size": round(upload.size / 1048576, 1), "limit": MAX_UPLOAD_BYTES // 1048576}
            )
        return upload


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
        "errors": errors[:MAX_REPORTED_ERRORS],
        "errors_total": len(errors),
        "errors_hidden": max(0, len(errors) - MAX_REPORTED_ERRORS),
        "rows_with_errors": len({error.row_number for error in errors if error.row_number}),
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
    if fmt not in TEMPLATE_FORMATS:
        raise Http404
    content_type, build = TEMPLATE_FORMATS[fmt]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="listings-import-template.{fmt}"'
    return response
