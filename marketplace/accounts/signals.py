"""What the accounts app asks of every app that holds data about a person, for the person's rights under the
Personal Information Protection Law (个人信息保护法): a copy of their data, and the closing of their account.

Accounts is the ground layer and may not know the apps above it (tests/test_layers.py), so it asks by signal and
each app answers from its receivers.py, connected in its AppConfig.ready() with a dispatch_uid. All three are sent
with send(), not send_robust(): a download that silently missed an app, or a closure that left one app's data
behind, would be worse than an error.

- ``personal_data_requested(sender=User, user)``: each receiver returns a list of
  ``marketplace.accounts.personal_data.PersonalDataSection``, the person's data that app holds.
- ``account_closure_checked(sender=User, user)``: each receiver returns a list of reasons (translated text) why
  the account cannot be closed yet; an empty list when its app sees none.
- ``account_closing(sender=User, user)``: sent inside the closing transaction, before the account itself is
  anonymised (the receivers still see the person's e-mail address): each app erases or anonymises what it holds
  and ends the person's roles, and keeps what the law on contracts and accounting requires.
"""

from django.dispatch import Signal

personal_data_requested = Signal()
account_closure_checked = Signal()
account_closing = Signal()
