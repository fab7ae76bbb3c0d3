from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Content")

    def ready(self):
        from cms import receivers
        from marketplace.centres.models import CentreStaff

        post_save.connect(receivers.centre_staff_saved, sender=CentreStaff, dispatch_uid="cms_centre_staff_saved")
        post_delete.connect(receivers.centre_staff_deleted, sender=CentreStaff, dispatch_uid="cms_centre_staff_deleted")
