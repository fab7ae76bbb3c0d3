"""The drives app's own reactions: a sent drive goes to the task runner once its sending is committed."""

from django.db import transaction

from drives.models import Drive
from drives.signals import drive_sent
from drives.tasks import send_drive


def enqueue_send(sender, drive: Drive, **kwargs) -> None:
    drive_id = drive.pk
    transaction.on_commit(lambda: send_drive.enqueue(drive_id=drive_id))


def connect() -> None:
    drive_sent.connect(enqueue_send, sender=Drive, dispatch_uid="drives.enqueue_send")
