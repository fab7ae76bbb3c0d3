"""Organisations' side effects: the person named as a signatory hears of the decision on any page they have open;
and their part in a person's rights over their data (marketplace.accounts.signals): their memberships in the copy
of their data, their memberships ended when the account closes, and the one reason to wait.

The rule for an organisation's last administrator: they cannot close their account while they are its only
administrator, because nobody could then add members, name signatories or act for it on the platform. They make
another member an administrator first (or, if the organisation leaves the platform, ask its operation centre).
"""

from django.utils.translation import gettext as _

from marketplace.accounts.signals import account_closing, account_closure_checked, personal_data_requested
from marketplace.core.notifications import notify_user_on_commit
from marketplace.organisations.models import SignatoryStatus
from marketplace.organisations.selectors import organisations_only_administered_by, personal_data_sections
from marketplace.organisations.services import memberships_end
from marketplace.organisations.signals import signatory_status_changed


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


def personal_data(sender, user, **kwargs):
    return personal_data_sections(user)


def last_administrator(sender, user, **kwargs) -> list[str]:
    return [
        _(
            "You are the only administrator of %(organisation)s. Make another member its administrator first (on "
            "the organisation's page); if the organisation is leaving the platform, ask its operation centre."
        )
        % {"organisation": organisation.name}
        for organisation in organisations_only_administered_by(user)
    ]


def leave_organisations(sender, user, **kwargs) -> None:
    memberships_end(user=user)


def connect() -> None:
    signatory_status_changed.connect(tell_the_person_named, dispatch_uid="organisations_tell_signatory_named")
    personal_data_requested.connect(personal_data, dispatch_uid="organisations.personal_data")
    account_closure_checked.connect(last_administrator, dispatch_uid="organisations.last_administrator")
    account_closing.connect(leave_organisations, dispatch_uid="organisations.leave_on_account_closing")
