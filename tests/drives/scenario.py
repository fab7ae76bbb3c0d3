"""Two hundred firms in 丽水 for the matching-drive journey, made inside a running site's own database (by
`manage.py shell`) on the demo data: verified enterprises registered with the provincial centre, the first with a
member who signs in. Prints one line of JSON: that member's sign-in and the firms' count.

    python manage.py shell -c "from tests.drives.scenario import main; main()"
"""

import json
import os

from marketplace.accounts.models import User
from marketplace.accounts.services import privacy_consent_record
from marketplace.centres.models import OperationCentre
from marketplace.organisations.models import Organisation

FIRMS = int(os.environ.get("SCENARIO_FIRMS", "200"))
CITY = "lishui"


def main() -> None:
    from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

    # Each run is a new process whose factory sequences start again: start them past what is there.
    start = (Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 50_000
    OrganisationFactory.reset_sequence(start)
    UserFactory.reset_sequence((User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 50_000)
    root = OperationCentre.objects.get(is_root=True)
    firms = [
        OrganisationFactory(name=f"丽水推送测试企业{n:03d}", city=CITY, centre=root, verified=True)
        for n in range(FIRMS)
    ]
    member = UserFactory(display_name="丽水企业 研发负责人")
    MembershipFactory(organisation=firms[0], user=member, role="admin")
    privacy_consent_record(user=member, ip_address=None)
    print(json.dumps({"email": member.email, "password": TEST_PASSWORD, "firm": firms[0].name, "firms": FIRMS}))
