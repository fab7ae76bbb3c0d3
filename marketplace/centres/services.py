"""Writes to the "1+X" tree. The database holds the single-root rule; these services say it in words."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.centres.models import CentreStaff, OperationCentre
from marketplace.centres.selectors import descendant_ids


def centre_create(
    *,
    name: str,
    slug: str,
    kind: str,
    parent: OperationCentre | None,
    city: str = "",
    name_en: str = "",
    description: str = "",
) -> OperationCentre:
    """Create a centre. Without a parent it becomes the provincial root, which may exist only once."""
    if parent is None and OperationCentre.objects.filter(is_root=True).exists():
        raise ValidationError(_("There is already a provincial centre; a new centre needs a parent."))
    centre = OperationCentre(
        name=name,
        name_en=name_en,
        slug=slug,
        kind=kind,
        city=city,
        parent=parent,
        is_root=parent is None,
        description=description,
    )
    centre.full_clean()
    centre.save()
    return centre


@transaction.atomic
def centre_move(*, centre: OperationCentre, new_parent: OperationCentre) -> OperationCentre:
    """Hang a centre under another. Refuses to move the root or to create a cycle."""
    if centre.is_root:
        raise ValidationError(_("The provincial centre is the root of the tree and cannot be moved."))
    if new_parent.id in descendant_ids([centre.id]):
        raise ValidationError(_("A centre cannot be moved below itself or one of its own sub-centres."))
    centre.parent = new_parent
    centre.full_clean()
    centre.save(update_fields=["parent"])
    return centre


def staff_roles_end(*, user) -> None:
    """The person stops working for every centre (their account is closing). Deleted one by one, so that the
    CMS drops them from their centre's editors (cms.apps connects to CentreStaff's post_delete)."""
    for role in CentreStaff.objects.filter(user=user):
        role.delete()
