from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "marketplace.centres"
    label = "centres"
    verbose_name = _("Operation centres")

    def ready(self) -> None:
        from marketplace.centres import receivers
        from marketplace.centres.models import OperationCentre

        post_save.connect(receivers.centre_changed, sender=OperationCentre, dispatch_uid="centres_tree_saved")
        post_delete.connect(receivers.centre_changed, sender=OperationCentre, dispatch_uid="centres_tree_deleted")
        receivers.connect_privacy()
