"""The default mailer: every mail the platform sends (ours, Django's password reset, Wagtail's moderation
notices) is queued in the database and sent by the task runner, through the mailer named by
settings.MAIL_DELIVERY_MAILER. A request never waits for a mail server, and a refused mail is retried."""

from django.core.mail.backends.base import BaseEmailBackend

from marketplace.background.services import mail_queue


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            mail_queue(message)
        return len(email_messages)
