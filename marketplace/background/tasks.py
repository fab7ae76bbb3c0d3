"""Tasks of the background app. Each is idempotent: running it twice does no more than running it once."""

from datetime import datetime

from django.tasks import task

from marketplace.background import services


@task
def deliver_mail(mail_id: int) -> str:
    return services.mail_deliver(mail_id=mail_id)


def mail_requeue_due(*, now: datetime | None = None) -> int:
    """Offer again every mail whose retry is due (or whose task was lost). Returns how many."""
    due = services.unsent_mail_due(now=now)
    for mail_id in due:
        deliver_mail.enqueue(mail_id=mail_id)
    return len(due)


@task
def requeue_unsent_mail() -> int:
    return mail_requeue_due()
