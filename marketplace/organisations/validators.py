"""Django face of the credit-code rules in credit_code.py: same checks, messages in the user's language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.organisations.credit_code import CreditCodeError, validate_credit_code

# The pure module's English templates, repeated here word for word so makemessages can extract them.
CREDIT_CODE_MESSAGES = {
    "empty": _("Enter a unified social credit code."),
    "length": _("A unified social credit code has 18 characters; this one has %(length)s."),
    "character": _(
        "Character %(position)s ('%(char)s') is not allowed: "
        "the code uses digits and capital letters except I, O, S, V and Z."
    ),
    "authority": _(
        "Character 1 ('%(char)s') is not a registration authority code: "
        "it should be a digit from 1 to 9, or A, N or Y."
    ),
    "region": _("Characters 3–8 must be a 6-digit region code (GB/T 2260); got '%(region)s'."),
    "check": _(
        "The check character should be '%(expected)s', not '%(actual)s': a character was probably mistyped."
    ),
}


def clean_credit_code(raw: str) -> str:
    """Return the normalised code or raise a ValidationError that says exactly what is wrong."""
    try:
        return validate_credit_code(raw)
    except CreditCodeError as error:
        message = CREDIT_CODE_MESSAGES.get(error.code, error.template)
        raise ValidationError(message, code=f"credit_code_{error.code}", params=error.params) from None


def validate_credit_code_field(value: str) -> None:
    clean_credit_code(value)
