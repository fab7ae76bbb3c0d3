"""Turn the errors of our pure-Python rule modules into translated Django ValidationErrors.

Those modules (credit codes, patent numbers, IPC codes) raise errors carrying an English `template`, marked
with a local `gettext_noop` so makemessages extracts it, and the `params` to fill it. Here the template is
translated into the active language and filled.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from marketplace.core.rules import RuleError


def translated_message(error: RuleError) -> str:
    return gettext(error.template) % error.params


def as_validation_error(error: RuleError, *, prefix: str) -> ValidationError:
    return ValidationError(translated_message(error), code=f"{prefix}_{error.code}")
