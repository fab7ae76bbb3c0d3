"""Side effects of signatory changes: the person named hears of the decision on any page they have open."""

from django.utils.translation import gettext as _

from marketplace.core.notifications import notify_user_on_commit
from marketplace.organisations.models import SignatoryStatus


def tell_the_person_named(sender, signatory, from_status: str, to_status: str, actor=None, **kwargs) -> None:
    if actor is not None and actor.pk == signatory.user_id:
        return  # they did it themselves and are looking at it
    texts = {
        SignatoryStatus.NOMINATED: _("You are nominated as a signatory of %(organisation)s; its centre verifies it."),
        SignatoryStatus.VERIFIED: _("You are now a verified signatory of %(organisation)s."),
        SignatoryStatus.REFUSED: _("Your nomination as a signatory of %(organisation)s was refused."),
        SignatoryStatus.REVOKED: _("You no longer sign for %(organisation)s."),
    }
    notify_user_on_commit(
        signatory.user_id,
        {
            "message": texts[to_status] % {"organisation": signatory.organisation.name},
            "url": f"/organisations/{signatory.organisation_id}/#signatories",
        },
    )
