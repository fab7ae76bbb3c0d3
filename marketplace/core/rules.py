"""The error our pure-Python rule modules raise (credit codes, patent application numbers, IPC codes).

No Django here, so those modules stay importable on their own; marketplace.core.errors turns these errors into
translated ValidationErrors.
"""


class RuleError(ValueError):
    """A value a rule refuses. ``code`` names the kind of mistake; ``template`` (English, marked for translation
    with a local ``gettext_noop`` where it is written) and ``params`` make the message, so
    ``str(error) == error.template % error.params``."""

    def __init__(self, code: str, template: str, params: dict[str, object] | None = None) -> None:
        self.code = code
        self.template = template
        self.params = params or {}
        self.message = template % self.params
        super().__init__(self.message)
