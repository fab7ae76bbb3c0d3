from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    name = "marketplace.background"
    label = "background"
    verbose_name = _("Background work")

    def ready(self):
        from marketplace.background import checks  # noqa: F401 - registers the PERIODIC_TASKS check
