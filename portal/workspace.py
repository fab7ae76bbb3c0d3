"""The panels of "My workspace", one per app that has something to show a person. The roof may read every app,
so it lists them here, in the order they appear."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from auctions.workspace import auctions_panel_context
from deals.deal_workspace import deal_panel_context
from deals.workspace import negotiations_panel_context
from demands.workspace import demands_panel_context
from drives.workspace import drives_panel_context
from listings.workspace import listings_panel_context
from matching.workspace import matches_panel_context
from search.views import saved_searches_panel_context


@dataclass(frozen=True)
class WorkspacePanel:
    template_name: str
    get_context: Callable[[HttpRequest], dict | None]  # None: nothing to show this person


PANELS = (
    WorkspacePanel("listings/workspace/_panel.html", listings_panel_context),
    WorkspacePanel("demands/workspace/_panel.html", demands_panel_context),
    WorkspacePanel("matching/_workspace_panel.html", matches_panel_context),
    WorkspacePanel("drives/_workspace_panel.html", drives_panel_context),
    WorkspacePanel("deals/_negotiations_panel.html", negotiations_panel_context),
    WorkspacePanel("search/_workspace_panel.html", saved_searches_panel_context),
    WorkspacePanel("deals/_deal_panel.html", deal_panel_context),
    WorkspacePanel("auctions/_workspace_panel.html", auctions_panel_context),
)


def workspace_panels(request: HttpRequest) -> list[tuple[str, dict]]:
    rendered = []
    for panel in PANELS:
        context = panel.get_context(request)
        if context is not None:
            rendered.append((panel.template_name, context))
    return rendered
