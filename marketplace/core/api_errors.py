"""Refused data on the open API's write operations, field by field, in the same shape as refused parameters
(marketplace.core.api_schemas.InvalidParametersOut): config.api answers InvalidData with 422.

The write operations run the site's own forms over what a system sent, so that the API refuses exactly what the
forms refuse; these helpers turn a form's errors, or a service's ValidationError, into that answer.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form

REQUEST = "request"  # an error about the request as a whole, not one of its fields


class InvalidData(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("invalid data")
        self.errors = errors


def _name(prefix: str, field: str) -> str:
    if field in ("", NON_FIELD_ERRORS, None):
        return prefix or REQUEST
    return f"{prefix}.{field}" if prefix else field


def form_errors(form: Form, *, prefix: str = "", names: dict[str, str] | None = None) -> list[dict[str, str]]:
    """A bound, invalid form's errors, each named by its field (with `prefix`, renamed by `names`)."""
    names = names or {}
    return [
        {"parameter": _name(prefix, names.get(field, field)), "reason": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


def service_errors(error: ValidationError, *, prefix: str = "") -> list[dict[str, str]]:
    """A service's refusal, each message named by the field it is about (the request when it names none)."""
    if hasattr(error, "error_dict"):
        return [
            {"parameter": _name(prefix, field), "reason": message}
            for field, errors in error.error_dict.items()
            for message in ValidationError(errors).messages
        ]
    return [{"parameter": prefix or REQUEST, "reason": message} for message in error.messages]
