"""A service's refusal, shown to the person whose request it refused: on the form they filled in, or as a message.

Services raise ValidationError (what was asked is wrong) or PermissionDenied (who asked may not); views catch
them and hand them here, so every page shows them the same way.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext as _


def service_error_text(error: ValidationError | PermissionDenied) -> str:
    """The refusal in one line."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do that here.")


def add_service_error(form: Form, error: ValidationError | PermissionDenied) -> None:
    """The refusal onto the form: each error on the field it names, if the form has that field, else above it."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, service_error_text(error))
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_service_error(request: HttpRequest, error: ValidationError) -> None:
    """Each message of the refusal as an error message of the next page (for actions that redirect)."""
    for message in error.messages:
        messages.error(request, message)


def flash_form_errors(request: HttpRequest, form: Form) -> None:
    """Each error of an invalid form as an error message of the next page."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@contextmanager
def refusal_flashed(request: HttpRequest):
    """Around a service call of an action whose page redirects: a refusal raised in the block becomes the error
    messages of the next page, and the rest of the block (its success message) is skipped."""
    try:
        yield
    except ValidationError as error:
        flash_service_error(request, error)
    except PermissionDenied as error:
        messages.error(request, service_error_text(error))


@contextmanager
def refusal_on_form(form: Form):
    """Around a service call of a form's view: a refusal raised in the block goes onto the form (add_service_error)
    and the rest of the block is skipped, so the view goes on to show the form again."""
    try:
        yield
    except (ValidationError, PermissionDenied) as error:
        add_service_error(form, error)
