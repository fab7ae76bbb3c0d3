"""A person's copy of their personal data (PIPL art. 45): one JSON document made of the sections every app
contributes through ``accounts.signals.personal_data_requested``.

Uploaded files are listed (name, size, date, where to fetch them), not attached: they are documents of the
person's organisation, served by the pages that check who may have them, and a single JSON file keeps the download
small enough to build while the person waits.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PersonalDataSection:
    """One kind of record an app holds about the person.

    ``key`` is stable and machine-readable ("deals.messages"), ``title`` is for the reader (translated);
    ``records`` are JSON-ready dicts (dates, decimals and lazy translations are encoded for them).
    """

    key: str
    title: str
    records: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": str(self.title), "count": len(self.records), "records": self.records}


def choice_label(instance, field_name: str) -> str:
    """The readable label of a choice field (``get_<field>_display``), for records a person reads."""
    return str(getattr(instance, f"get_{field_name}_display")())
