from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Technology demands")

    def ready(self) -> None:
        from demands import documents, receivers

        receivers.connect()
        # Published demands are a second kind of result in the search index and the finder (search.kinds).
        documents.register()
