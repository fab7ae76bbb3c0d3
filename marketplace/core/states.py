"""One move of a state machine. Each app keeps its own table of allowed moves and its own `<thing>_set_status`
service, which calls this, then writes its audit row and sends its signal (if the app announces the change).

A table maps each status to the statuses it may become; a status missing from it, or mapped to nothing, is
final.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def status_move(
    instance: models.Model,
    transitions: Mapping[str, frozenset[str]],
    to_status: str,
    *,
    not_validated: tuple[str, ...] = (),
    **changes,
) -> str:
    """Move `instance` to `to_status` with the field changes that go with it, validated (full_clean, but for the
    fields named in `not_validated`: foreign keys the service has loaded itself) and saved; returns the status
    it left. Refuses any move the table does not allow. Call it holding the row's lock."""
    from_status = instance.status
    if to_status not in transitions.get(from_status, frozenset()):
        labels = dict(instance._meta.get_field("status").flatchoices)
        raise ValidationError(
            _("A move from “%(from)s” to “%(to)s” is not allowed.")
            % {"from": labels.get(from_status, from_status), "to": labels.get(to_status, to_status)},
            code="invalid_transition",
        )
    instance.status = to_status
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.full_clean(exclude=list(not_validated), validate_constraints=False)
    instance.save(update_fields=["status", *changes])
    return from_status
