from dataclasses import dataclass

from marketplace.centres.models import OperationCentre
from marketplace.organisations.models import Organisation, OrganisationKind


@dataclass(frozen=True)
class PlatformOverview:
    centres: int
    organisations: int
    verified_organisations: int
    universities_and_institutes: int


def platform_overview() -> PlatformOverview:
    organisations = Organisation.objects.all()
    return PlatformOverview(
        centres=OperationCentre.objects.count(),
        organisations=organisations.count(),
        verified_organisations=organisations.filter(verified=True).count(),
        universities_and_institutes=organisations.filter(
            kind__in=[OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE]
        ).count(),
    )
