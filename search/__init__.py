"""Listing search behind one interface; the backend is chosen by the SEARCH_BACKENDS setting.

Callers use `get_search_backend()` and never ask which backend is active (the pattern of Wagtail's
`wagtail.search.backends`).
"""

from django.conf import settings
from django.utils.module_loading import import_string

from search.backends.base import BaseSearchBackend

_backends: dict[str, BaseSearchBackend] = {}


class InvalidSearchBackendError(ImportError):
    pass


def _load_backend(alias: str) -> BaseSearchBackend:
    try:
        params = dict(settings.SEARCH_BACKENDS[alias])
    except KeyError:
        raise InvalidSearchBackendError(f"No search backend named {alias!r} in SEARCH_BACKENDS.") from None
    path = params.pop("BACKEND")
    try:
        module_or_class = import_string(path)
    except ImportError:
        module_or_class = import_string(f"{path}.SearchBackend")
    backend_class = getattr(module_or_class, "SearchBackend", module_or_class)
    return backend_class(alias=alias, **params)


def get_search_backend(alias: str = "default") -> BaseSearchBackend:
    if alias not in _backends:
        _backends[alias] = _load_backend(alias)
    return _backends[alias]


def reset_search_backends() -> None:
    """Forget loaded backends (tests that change SEARCH_BACKENDS call this)."""
    _backends.clear()
