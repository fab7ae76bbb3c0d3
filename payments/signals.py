"""What the payments app announces. The indicators app listens to book licensing revenue *received*.

Both are sent inside the transaction that records the money, once per payment or refund (the webhook and
confirmation paths are idempotent, so a replayed event never sends twice).
"""

from django.dispatch import Signal

# sender=Payment, payment=<Payment>, deal=<Deal>, amount_fen=<int>, kind=<InstalmentKind value>,
# received_on=<date>: money for one instalment arrived (card succeeded, or a bank transfer was confirmed).
payment_received = Signal()
# sender=Refund, refund=<Refund>, deal=<Deal>, amount_fen=<int>, kind=<InstalmentKind value>, refunded_on=<date>.
payment_refunded = Signal()
# sender=Payment, payment=<Payment>, from_status=<str>, to_status=<str>, actor=<User or None>: every move of a
# payment's state machine, after its audit row is written (same transaction).
payment_status_changed = Signal()
# sender=Instalment, instalment=<Instalment>, payment=<Payment>: the money for an auction deposit arrived (card
# succeeded, or a bank transfer was confirmed), once per deposit, inside the transaction that records it. A held
# deposit is never announced as payment_received: it is not revenue (see payments.services.deposits).
deposit_paid = Signal()
# sender=Instalment, instalment=<Instalment>, card=<SavedCard>, reason=<str>: the automatic charge of an
# instalment with the buyer's saved card could not be made; the buyer's people are told (payments.receivers).
auto_pay_failed = Signal()
# sender=Instalment, overdue=<list of [instalment id, days overdue]>: one deal's instalments owe a reminder. Sent
# inside the transaction that records the reminders, so the mail is owed exactly when they are recorded.
instalments_overdue = Signal()
