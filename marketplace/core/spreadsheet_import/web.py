"""What an import's pages share: the upload form, the row-by-row report, and the template download."""

from collections.abc import Callable

from django import forms
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.core.spreadsheet_import.columns import RowError
from marketplace.core.spreadsheet_import.reading import MAX_UPLOAD_BYTES

MAX_REPORTED_ERRORS = 500  # a file that is wrong everywhere would otherwise make a page of many megabytes
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class SpreadsheetUploadForm(forms.Form):
    """A CSV or XLSX file of at most MAX_UPLOAD_BYTES, and whether only to check it. Subclasses add whose rows
    they are (and order the fields with `field_order`)."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or XLSX, at most 5 MB, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    validate_only = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("The file is %(size)s MB; the limit is %(limit)s MB. Split it into several files.")
                % {"size": round(upload.size / 1048576, 1), "limit": MAX_UPLOAD_BYTES // 1048576}
            )
        return upload


def report_context(errors: list[RowError]) -> dict:
    """What templates/includes/import_report.html shows: the first MAX_REPORTED_ERRORS problems and the counts."""
    return {
        "errors": errors[:MAX_REPORTED_ERRORS],
        "errors_total": len(errors),
        "errors_hidden": max(0, len(errors) - MAX_REPORTED_ERRORS),
        "rows_with_errors": len({error.row_number for error in errors if error.row_number}),
    }


def template_download(fmt: str, *, csv: Callable[[], bytes], xlsx: Callable[[], bytes], stem: str) -> HttpResponse:
    """The template as an attachment, `stem`.csv or `stem`.xlsx; any other format is a 404."""
    formats = {"csv": (CSV_CONTENT_TYPE, csv), "xlsx": (XLSX_CONTENT_TYPE, xlsx)}
    if fmt not in formats:
        raise Http404
    content_type, build = formats[fmt]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
