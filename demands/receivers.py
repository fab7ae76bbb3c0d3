"""Demands' part in a person's copy of their data (marketplace.accounts.signals). Nothing of a demand is erased when
its writer closes their account: the demand is the organisation's, and its `created_by` now names a closed account."""

from demands.selectors import personal_data_sections
from marketplace.accounts.signals import personal_data_requested


def personal_data(sender, user, **kwargs):
    return personal_data_sections(user)


def connect() -> None:
    personal_data_requested.connect(personal_data, dispatch_uid="demands.personal_data")
