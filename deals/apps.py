from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    label = "deals"
    verbose_name = _("Negotiations and deals")

    def ready(self) -> None:
        from deals import checks, receivers  # noqa: F401 - checks register themselves

        receivers.connect()
