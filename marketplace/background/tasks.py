"""Tasks of the background app. Each is idempotent: running it twice does no more than running it once."""

from django.tasks import task

from marketplace.background import services


@task
def deliver_mail(mail_id: int) -> str:
    return services.mail_deliver(mail_id=mail_id)


@task
def requeue_unsent_mail() -> int:
    return services.unsent_mail_requeue()
