"""The listings panel of "My workspace": a seller's listings by status, a broker's moderation queue."""

from listings.selectors import listings_of_seller, moderation_queue
from marketplace.organisations.selectors import moderated_panel_context


def listings_panel_context(request) -> dict | None:
    return moderated_panel_context(request.user, listings_of_seller, moderation_queue)
