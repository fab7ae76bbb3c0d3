"""What the organisations app announces. Receivers live in the apps that react."""

from django.dispatch import Signal

# A signatory's status moved: kwargs signatory, from_status, to_status, actor.
signatory_status_changed = Signal()
