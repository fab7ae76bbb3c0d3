"""Django validation around the pure patent rules (numbers, IPC codes), with translated messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from listings.patents.ipc import IpcCodeError, parse_ipc
from listings.patents.numbers import ApplicationNumber, ApplicationNumberError, parse_application_number
from marketplace.core.errors import as_validation_error

PATENT_TYPE_LABELS = {"invention": _("invention"), "utility_model": _("utility model"), "design": _("design")}


def clean_application_number(raw: str, *, declared_type: str | None = None) -> ApplicationNumber:
    try:
        number = parse_application_number(raw)
    except ApplicationNumberError as error:
        raise as_validation_error(error, prefix="application_number") from None
    if declared_type and number.patent_type != declared_type:
        raise ValidationError(
            _(
                "Application number %(number)s is a %(actual)s application (type digit %(digit)s), "
                "but the patent was declared as a %(declared)s."
            ),
            code="application_number_type",
            params={
                "number": number.normalised,
                "actual": PATENT_TYPE_LABELS[number.patent_type],
                "digit": number.type_digit,
                "declared": PATENT_TYPE_LABELS.get(declared_type, declared_type),
            },
        )
    return number


def clean_ipc_codes(raw: str | list[str]) -> list[str]:
    """Parse a list of IPC codes (or one text with codes separated by ; , or new lines); main one first."""
    if isinstance(raw, str):
        parts = [part.strip() for part in raw.replace("；", ";").replace("，", ",").replace("\n", ";").split(";")]
        parts = [piece.strip() for part in parts for piece in part.split(",")]
    else:
        parts = [part.strip() for part in raw]
    codes: list[str] = []
    for part in parts:
        if not part:
            continue
        try:
            code = parse_ipc(part).normalised
        except IpcCodeError as error:
            raise as_validation_error(error, prefix="ipc") from None
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationError(_("Enter at least one IPC code, e.g. H01M 4/525."), code="ipc_empty")
    return codes
