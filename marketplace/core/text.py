"""Text a person typed that the database can store: PostgreSQL refuses a NUL character in any text column, and
a lone surrogate (valid in JSON as "\\ud800", not in UTF-8) cannot be encoded at all. Both reach us through the
sockets and the API, where no form field stands in the way, so the services check themselves."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def require_storable_text(text: str) -> str:
    if "\x00" in text:
        raise ValidationError(_("The text contains a NUL character, which cannot be stored."), code="null")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(_("The text contains characters that are not valid Unicode."), code="unicode") from None
    return text
