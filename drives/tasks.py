"""Tasks of the drives app, run by the task runner. Each is idempotent: running it twice sends nothing twice.

The digest mail is composed here and only here (the platform's rule: mail is written in an app's tasks.py)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drives.models import DriveRecipient
from drives.pairing import reason_text
from drives.services import digest_mark_delivered, drive_pairs_write
from marketplace.background.mail import mail_queue
from marketplace.core.notifications import notify_users_on_commit
from marketplace.organisations.models import Membership


@task
def send_drive(*, drive_id: int) -> int:
    """Write a sent drive's pairs (once) and deliver each firm's digest that has not gone out yet: the workspace
    shows it as soon as the pairs are written; members get a mail and, on an open page, a live notice. Returns
    how many digests this run delivered."""
    drive = drive_pairs_write(drive_id=drive_id)
    waiting = list(
        DriveRecipient.objects.filter(drive=drive, delivered_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    delivered = 0
    for recipient_id in waiting:
        if _deliver(recipient_id):
            delivered += 1
    return delivered


def _absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def _deliver(recipient_id: int) -> bool:
    recipient = DriveRecipient.objects.select_related("drive__centre", "organisation").get(pk=recipient_id)
    members = list(
        Membership.objects.filter(organisation_id=recipient.organisation_id, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    emails = [member.user.email for member in members if member.user.email]
    # Claimed first, in this transaction: a second run (or a second runner) finds it delivered and sends nothing.
    if not digest_mark_delivered(recipient_id=recipient_id, mailed_to=len(emails)):
        return False
    pairs = list(recipient.pairs.select_related("listing").order_by("position"))
    digest_url = _absolute_url(recipient.get_absolute_url())
    with translation.override(settings.LANGUAGE_CODE):
        centre = recipient.drive.centre.local_name
        subject = ngettext(
            "%(centre)s: %(count)d listing chosen for %(firm)s",
            "%(centre)s: %(count)d listings chosen for %(firm)s",
            len(pairs),
        ) % {"centre": centre, "count": len(pairs), "firm": recipient.organisation.name}
        body = render_to_string(
            "drives/digest_email.txt",
            {
                "drive": recipient.drive,
                "centre": centre,
                "firm": recipient.organisation,
                "digest_url": digest_url,
                "listings": [
                    {
                        "title": pair.listing.title,
                        "reason": reason_text(pair.reason, pair.reason_detail),
                        "url": _absolute_url(pair.listing.get_absolute_url()),
                    }
                    for pair in pairs
                ],
                "platform_name": settings.PLATFORM_NAME,
            },
        )
        notice = _("%(centre)s sent %(firm)s a digest of chosen listings.") % {
            "centre": centre,
            "firm": recipient.organisation.name,
        }
    if emails:
        mail_queue(EmailMessage(" ".join(subject.split()), body, to=emails))
    notify_users_on_commit(
        [member.user_id for member in members], {"message": notice, "url": recipient.get_absolute_url()}
    )
    return True
