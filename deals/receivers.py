"""Open negotiation rooms learn at once when someone's right to be there may have changed: a membership or a
centre role ended, an account switched off or its staff flags changed. Each socket of that person then checks
again (deals.consumers), instead of every socket polling the database every few seconds.

Deals also plays its part in a person's rights over their data (marketplace.accounts.signals): what they did in
negotiations and deals goes into the copy of their data; when their account closes, negotiations, messages,
offers, deals and contracts stay (the law on contracts requires them) and show a closed account where the person's
name was. (Closing ends their memberships and switches the account off, so their open rooms check again at once.)"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from deals.models import Deal, DealStatus
from deals.selectors import personal_data_sections
from deals.services.rooms import access_changed_on_commit, rooms_leave
from deals.signals import deal_status_changed
from deals.tasks import seal_contract
from marketplace.accounts.signals import account_closing, personal_data_requested
from marketplace.centres.models import CentreStaff
from marketplace.organisations.models import Membership


def _role_ended(sender, instance, **kwargs) -> None:
    access_changed_on_commit(instance.user_id)


def _account_changed(sender, instance, update_fields=None, created=False, **kwargs) -> None:
    # A login only stamps last_login: that changes nobody's access, and logins are frequent.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    access_changed_on_commit(instance.pk)


def personal_data(sender, user, **kwargs):
    return personal_data_sections(user)


def leave_rooms(sender, user, **kwargs) -> None:
    rooms_leave(user=user)


def seal_signed_contract(sender, deal, from_status, to_status, **kwargs) -> None:
    """Both parties have signed: the platform signs the final PDF on the task runner (rendering and signing take
    a moment). Enqueued in the transaction that records the signatures, so the task exists exactly when they do."""
    if to_status == DealStatus.CONTRACT_SIGNED:
        seal_contract.enqueue(deal_id=deal.pk)


def connect() -> None:
    post_delete.connect(_role_ended, sender=Membership, dispatch_uid="deals.access.membership_deleted")
    post_delete.connect(_role_ended, sender=CentreStaff, dispatch_uid="deals.access.centre_role_deleted")
    post_save.connect(_account_changed, sender=get_user_model(), dispatch_uid="deals.access.account_changed")
    personal_data_requested.connect(personal_data, dispatch_uid="deals.personal_data")
    account_closing.connect(leave_rooms, dispatch_uid="deals.leave_rooms_on_account_closing")
    deal_status_changed.connect(seal_signed_contract, sender=Deal, dispatch_uid="deals.seal_signed_contract")
