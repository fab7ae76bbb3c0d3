"""The drives panel of "My workspace": a firm's digests (new ones first), and centre staff's drives."""

from drives.selectors import digests_of_member, drives_visible_to
from marketplace.centres.selectors import staff_scope


def drives_panel_context(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    digests = digests_of_member(user)
    is_staff = staff_scope(user).is_staff
    recent = list(digests[:5])
    if not recent and not is_staff:
        return None
    context = {"digests": recent, "unopened": digests.filter(opened_at__isnull=True).count(), "is_staff": is_staff}
    if is_staff:
        drives = drives_visible_to(user)
        context |= {"drives": list(drives.order_by("-created_at", "-pk")[:5]), "drive_count": drives.count()}
    return context
