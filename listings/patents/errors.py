"""The error the pure patent-data parsers raise: a code, an English template and its parameters, so the Django
layer can translate the template and keep the code for the API and the importer."""

from __future__ import annotations


class PatentDataError(ValueError):
    def __init__(self, code: str, template: str, params: dict[str, object] | None = None) -> None:
        self.code = code
        self.template = template
        self.params = params or {}
        self.message = template % self.params
        super().__init__(self.message)
