"""Book the ledger when deals and payments announce what happened.

Each signal is sent inside the transaction that records the event, so the booking commits or rolls back with
it. Every receiver may be called any number of times for the same event: the ledger's unique source key makes
the second and later calls book nothing.
"""

from deals.signals import deal_completed, deal_reversed
from indicators.services import completion_book, payment_book, refund_book, reversal_book
from payments.signals import payment_received, payment_refunded


def book_completed_deal(sender, deal, **kwargs) -> None:
    completion_book(deal=deal)


def book_reversed_deal(sender, deal, **kwargs) -> None:
    reversal_book(deal=deal)


def book_received_payment(sender, payment, deal, amount_fen, kind, received_on, **kwargs) -> None:
    # Only the payment's pk is read: the event is booked from the signal's own arguments.
    payment_book(payment_id=payment.pk, deal=deal, amount_fen=amount_fen, kind=kind, received_on=received_on)


def book_refund(sender, refund, deal, amount_fen, kind, refunded_on, **kwargs) -> None:
    refund_book(refund_id=refund.pk, deal=deal, amount_fen=amount_fen, kind=kind, refunded_on=refunded_on)


def connect() -> None:
    deal_completed.connect(book_completed_deal, dispatch_uid="indicators.book_completed_deal")
    deal_reversed.connect(book_reversed_deal, dispatch_uid="indicators.book_reversed_deal")
    payment_received.connect(book_received_payment, dispatch_uid="indicators.book_received_payment")
    payment_refunded.connect(book_refund, dispatch_uid="indicators.book_refund")
