"""Model parts several apps share. (The ground's own tables live in its sub-apps: accounts, centres, ...)"""

from django.conf import settings
from django.db import models


class StatusEvent(models.Model):
    """One move of a state machine, by whom and why: a row of an audit trail, never edited. A trail adds what
    moved (a foreign key) and its from_status and to_status, with the choices of its machine."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
