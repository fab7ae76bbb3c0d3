"""Keep the centres' editors groups in step with their staff (cms.services.centre_sections_sync does the rest)."""

from django.db import transaction

from cms.services import centre_editor_add, centre_editor_remove


def centre_staff_saved(sender, instance, **kwargs):
    transaction.on_commit(lambda: centre_editor_add(centre_id=instance.centre_id, user_id=instance.user_id))


def centre_staff_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: centre_editor_remove(centre_id=instance.centre_id, user_id=instance.user_id))
