"""Saved-search alerts follow the listings: when one is published, the saved searches that find it alert their
owners once the publication is committed. Also contributes the "Saved searches" panel of My workspace.

`register()` is called from `SearchConfig.ready()` *after* `search.receivers.connect()`: on-commit callbacks
run in the order they were registered, so the listing is in the index before the alerts search for it.
"""

from django.db import transaction

from listings.signals import listing_published
from marketplace.core.workspace import WorkspacePanel, register_workspace_panel
from search.alerts import saved_searches_alert
from search.views import saved_searches_panel_context


def alert_after_commit(sender, listing, **kwargs) -> None:
    listing_id = listing.pk
    # robust=True: a failing alert is logged and never fails the request that published the listing.
    transaction.on_commit(lambda: saved_searches_alert(listing_id=listing_id), robust=True)


def register() -> None:
    listing_published.connect(alert_after_commit, dispatch_uid="search.alert_saved_searches")
    register_workspace_panel(
        WorkspacePanel(
            key="saved_searches",
            template_name="search/_workspace_panel.html",
            get_context=saved_searches_panel_context,
            order=20,
        )
    )
