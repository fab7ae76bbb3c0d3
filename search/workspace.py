"""The "Saved searches" panel of My workspace."""

from marketplace.core.workspace import WorkspacePanel, register_workspace_panel
from search.views import saved_searches_panel_context


def register_panels() -> None:
    register_workspace_panel(
        WorkspacePanel(
            key="saved_searches",
            template_name="search/_workspace_panel.html",
            get_context=saved_searches_panel_context,
            order=20,
        )
    )
