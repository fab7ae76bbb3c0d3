"""Listings' part in a person's copy of their data (marketplace.accounts.signals). Nothing of a listing is erased
when its creator closes their account: the listing is the seller organisation's, and its `created_by` now names a
closed account."""

from listings.selectors import personal_data_sections
from marketplace.accounts.signals import personal_data_requested


def personal_data(sender, user, **kwargs):
    return personal_data_sections(user)


def connect() -> None:
    personal_data_requested.connect(personal_data, dispatch_uid="listings.personal_data")
