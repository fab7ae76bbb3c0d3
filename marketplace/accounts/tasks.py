"""Tasks of the accounts app, run by the task runner."""

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from marketplace.background.mail import mail_queue


@task
def mail_unlock_link(*, email: str, link: str, language: str) -> None:
    """Write the unlock mail in the language the person asked in, and queue it for delivery. The request that
    asked for it only enqueues this task: it renders and queues no mail itself."""
    with translation.override(language):
        subject = gettext("Unlock your account")
        body = render_to_string("accounts/unlock_email.txt", {"link": link})
    mail_queue(EmailMessage(subject, body, to=[email]))
