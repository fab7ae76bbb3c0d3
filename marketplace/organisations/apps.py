from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "marketplace.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from marketplace.organisations import receivers
        from marketplace.organisations.signals import signatory_status_changed

        signatory_status_changed.connect(
            receivers.tell_the_person_named, dispatch_uid="organisations_tell_signatory_named"
        )
