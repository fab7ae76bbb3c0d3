"""The payment page of a deal and of an auction deposit, the pay button's answers, the gateway's webhook, and the
staff actions. Thin: forms in, services out."""

from payments.views.cards import (
    cancel_card_attempt,
    instalment_status,
    pay_by_card,
    saved_card_auto_pay,
    saved_card_forget,
)
from payments.views.deposits import (
    deposit_cancel_card_attempt,
    deposit_confirm_transfer,
    deposit_declare_transfer,
    deposit_page,
    deposit_pay_by_card,
    deposit_record_transfer,
    deposit_reject_transfer,
    deposit_status,
    deposit_transfer_evidence,
    deposit_withdraw_transfer,
)
from payments.views.schedule import attention, deal_payments, refund, report_royalty
from payments.views.transfers import (
    confirm_transfer,
    declare_transfer,
    record_transfer,
    reject_transfer,
    transfer_evidence,
    withdraw_transfer,
)
from payments.views.webhooks import stripe_webhook

__all__ = [
    "attention",
    "cancel_card_attempt",
    "confirm_transfer",
    "deal_payments",
    "declare_transfer",
    "deposit_cancel_card_attempt",
    "deposit_confirm_transfer",
    "deposit_declare_transfer",
    "deposit_page",
    "deposit_pay_by_card",
    "deposit_record_transfer",
    "deposit_reject_transfer",
    "deposit_status",
    "deposit_transfer_evidence",
    "deposit_withdraw_transfer",
    "instalment_status",
    "pay_by_card",
    "record_transfer",
    "refund",
    "reject_transfer",
    "report_royalty",
    "saved_card_auto_pay",
    "saved_card_forget",
    "stripe_webhook",
    "transfer_evidence",
    "withdraw_transfer",
]
