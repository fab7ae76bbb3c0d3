"""Every write to payments. One module per concern; import from here."""

from payments.selectors import deposit_ledger  # a read, exported here too for the auctions app's convenience
from payments.services.cards import (
    card_attempt_cancel,
    card_payment_send,
    card_payment_start,
    card_payment_submit,
    payment_apply_gateway_state,
    payment_refresh,
    saved_card_add,
    saved_card_remove,
    saved_card_set_auto_pay,
    saved_cards_forget_at_gateway,
    saved_cards_of,
    saved_cards_retire,
)
from payments.services.common import open_payment_of, payer_of
from payments.services.deposits import (
    deposit_credit_to_deal,
    deposit_forfeit,
    deposit_instalment_open,
    deposit_refund,
)
from payments.services.receipts import payment_record_failure, payment_record_success, settle_if_all_fixed_paid
from payments.services.reconciliation import Mismatch, deposits_check, payments_reconcile, payments_reconcile_report
from payments.services.refunds import refund_issue, refundable_fen
from payments.services.reminders import instalments_charge_automatically, overdue_reminders_send
from payments.services.schedule import (
    royalty_due_fen,
    royalty_report_submit,
    schedule_build,
    service_fee_fen,
    split_evenly,
)
from payments.services.status import TRANSITIONS, payment_set_status
from payments.services.transfers import (
    bank_transfer_confirm,
    bank_transfer_declare,
    bank_transfer_record,
    bank_transfer_reject,
    bank_transfer_withdraw,
    collection_account_for,
    collection_account_of_centre,
    transfer_reference,
)
from payments.services.webhooks import webhook_handle

__all__ = [
    "Mismatch",
    "TRANSITIONS",
    "bank_transfer_confirm",
    "bank_transfer_declare",
    "bank_transfer_record",
    "bank_transfer_reject",
    "bank_transfer_withdraw",
    "card_attempt_cancel",
    "card_payment_send",
    "card_payment_start",
    "card_payment_submit",
    "collection_account_for",
    "collection_account_of_centre",
    "deposit_credit_to_deal",
    "deposit_forfeit",
    "deposit_instalment_open",
    "deposit_ledger",
    "deposit_refund",
    "deposits_check",
    "instalments_charge_automatically",
    "open_payment_of",
    "overdue_reminders_send",
    "payer_of",
    "payment_apply_gateway_state",
    "payment_record_failure",
    "payment_record_success",
    "payment_refresh",
    "payment_set_status",
    "payments_reconcile",
    "payments_reconcile_report",
    "refund_issue",
    "refundable_fen",
    "royalty_due_fen",
    "royalty_report_submit",
    "saved_card_add",
    "saved_card_remove",
    "saved_card_set_auto_pay",
    "saved_cards_forget_at_gateway",
    "saved_cards_of",
    "saved_cards_retire",
    "schedule_build",
    "service_fee_fen",
    "settle_if_all_fixed_paid",
    "split_evenly",
    "transfer_reference",
    "webhook_handle",
]
