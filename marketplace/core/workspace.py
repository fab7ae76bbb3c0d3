"""Panels of "My workspace" contributed by other apps.

The core cannot import the apps built on top of it (listings, deals, payments...), so each app registers
its panel here from its AppConfig.ready(): a template and a function that builds its context for a request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class WorkspacePanel:
    key: str
    template_name: str
    get_context: Callable[[HttpRequest], dict | None]  # None: nothing to show this person
    order: int = 100


_panels: dict[str, WorkspacePanel] = {}


def register_workspace_panel(panel: WorkspacePanel) -> None:
    _panels[panel.key] = panel


def workspace_panels(request: HttpRequest) -> list[tuple[str, dict]]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.get_context(request)
        if context is not None:
            rendered.append((panel.template_name, context))
    return rendered
