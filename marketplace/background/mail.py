"""The default mailer: every mail the platform sends (ours, Django's password reset, Wagtail's moderation
notices) is queued in the database and sent by the task runner, through the mailer named by
settings.MAIL_DELIVERY_MAILER. A request never waits for a mail server, and a refused mail is retried."""

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from marketplace.background.models import OutgoingMail
from marketplace.background.services import mail_record
from marketplace.background.tasks import deliver_mail


def mail_queue(message: EmailMessage) -> OutgoingMail:
    """Record the message and enqueue its delivery, both in the caller's transaction."""
    mail = mail_record(message)
    deliver_mail.enqueue(mail_id=mail.pk)
    return mail


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            mail_queue(message)
        return len(email_messages)
