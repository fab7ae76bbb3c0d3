from dataclasses import dataclass


@dataclass(frozen=True)
class BackendHealth:
    ok: bool
    detail: str = ""


class BaseSearchBackend:
    """What every listing-search backend offers. Concrete backends live beside this module."""

    def __init__(self, *, alias: str, **params):
        self.alias = alias
        self.params = params

    def healthcheck(self) -> BackendHealth:
        raise NotImplementedError
