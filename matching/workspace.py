"""The matches panel of "My workspace": new matches found for the person's organisations' demands and listings."""

from matching.selectors import recent_notices_of


def matches_panel_context(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    notices = recent_notices_of(request.user)
    return {"notices": notices} if notices else None
