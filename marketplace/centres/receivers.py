"""The kept "1+X" tree (selectors._centres_by_name) is dropped whenever a centre is saved or deleted. A person's
staff roles go into the copy of their personal data, and end when their account closes
(marketplace.accounts.signals)."""

from marketplace.accounts.signals import account_closing, personal_data_requested
from marketplace.centres.selectors import forget_centre_tree, personal_data_sections
from marketplace.centres.services import staff_roles_end


def centre_changed(sender, **kwargs) -> None:
    forget_centre_tree()


def personal_data(sender, user, **kwargs):
    return personal_data_sections(user)


def leave_centres(sender, user, **kwargs) -> None:
    staff_roles_end(user=user)


def connect_privacy() -> None:
    personal_data_requested.connect(personal_data, dispatch_uid="centres.personal_data")
    account_closing.connect(leave_centres, dispatch_uid="centres.leave_on_account_closing")
