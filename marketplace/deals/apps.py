from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "marketplace.deals"
    label = "deals"
    verbose_name = _("Negotiations and deals")

    def ready(self):
        from marketplace.deals.deal_workspace import register_deal_panel
        from marketplace.deals.workspace import register_panels

        register_panels()
        register_deal_panel()
