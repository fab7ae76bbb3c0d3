"""Django face of the credit-code rules in credit_code.py: same checks, messages in the user's language."""

from django.core.exceptions import ValidationError

from marketplace.core.errors import as_validation_error
from marketplace.organisations.credit_code import CreditCodeError, validate_credit_code


def clean_credit_code(raw: str) -> str:
    """Return the normalised code or raise a ValidationError that says exactly what is wrong."""
    try:
        return validate_credit_code(raw)
    except CreditCodeError as error:
        raise as_validation_error(error, prefix="credit_code") from None


def validate_credit_code_field(value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("credit code must be text")
    clean_credit_code(value)
