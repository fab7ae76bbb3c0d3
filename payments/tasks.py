"""Background tasks of the payments app, run by the task runner on the schedule in settings.PERIODIC_TASKS.
Each is idempotent."""

from django.tasks import task

from payments.services import (
    instalments_charge_automatically,
    overdue_reminders_send,
    payments_reconcile_report,
    saved_cards_forget_at_gateway,
)


@task
def reconcile_payments() -> dict:
    """Every few minutes: settle open attempts and refunds to the gateway's truth, record stray charges. The
    report is kept as the task's result, which the admin shows beside the periodic job."""
    return payments_reconcile_report(compare=False).as_dict()


@task
def compare_payments_with_gateway() -> dict:
    """Nightly: the same, and every card payment of the last 30 days compared with the gateway's record."""
    return payments_reconcile_report().as_dict()


@task
def charge_instalments_due() -> int:
    return instalments_charge_automatically()


@task
def remind_overdue_instalments() -> int:
    return overdue_reminders_send()


@task
def forget_cards_at_gateway(card_ids: list[int]) -> None:
    """After an account closed: the gateway forgets the cards its owner had saved."""
    saved_cards_forget_at_gateway(card_ids=card_ids)
