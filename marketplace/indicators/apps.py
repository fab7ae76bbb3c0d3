from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "marketplace.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from marketplace.indicators import receivers

        receivers.connect()
