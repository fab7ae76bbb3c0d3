from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from search import alert_receivers, receivers

        # Order matters: on-commit callbacks run in registration order, so a listing is indexed before the
        # saved-search alerts look for it.
        receivers.connect()
        alert_receivers.register()
