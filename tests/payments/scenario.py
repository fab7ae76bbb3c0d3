"""A signed deal with instalments due, made inside a running site's own database (by `manage.py shell`), for the
tests that pay it over HTTP against a real server. Prints one line of JSON: the deal, its instalments and the
buyer's sign-in.

    python manage.py shell -c "from tests.payments.scenario import main; main()"          # a world of its own
    SCENARIO_DEMO=1 python manage.py shell -c "..."   # on the demo data: buyer@demo.ipx.cn buys from ZJU
"""

import json
import os
import uuid

from listings.models import Listing, ListingStatus
from marketplace.accounts.models import User
from marketplace.organisations.models import Membership, OrganisationKind
from tests.deals.factories import deal_signed

INSTALMENTS = int(os.environ.get("SCENARIO_INSTALMENTS", "3"))
PRICE_FEN = int(os.environ.get("SCENARIO_PRICE_FEN", "3000000"))  # ¥30,000 in three card-sized parts


def _own_world():
    from tests.factories import (
        CentreFactory,
        CentreStaffFactory,
        ListingFactory,
        OrganisationFactory,
        PatentFactory,
        RootCentreFactory,
        UserFactory,
        signatory_member,
    )

    # Each run is a new process whose factory sequences start again: start them past what earlier runs made.
    start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) * 10 + 1000
    for factory in (UserFactory, OrganisationFactory, CentreFactory, PatentFactory, ListingFactory):
        factory.reset_sequence(start)
    suffix = uuid.uuid4().hex[:8]
    root = RootCentreFactory()
    ningbo = CentreFactory(name=f"宁波交易中心{suffix}", slug=f"ningbo-{suffix}", parent=root)
    university = OrganisationFactory(name=f"宁波大学{suffix}", kind=OrganisationKind.UNIVERSITY, centre=ningbo)
    enterprise = OrganisationFactory(name=f"宁波甬新材料{suffix}", centre=ningbo)
    seller = signatory_member(university)
    buyer = signatory_member(enterprise)
    broker = CentreStaffFactory(centre=ningbo).user
    second_broker = CentreStaffFactory(centre=ningbo).user

    listing = _on_market(university, seller, broker)
    return listing, enterprise, seller, buyer, [broker, second_broker, UserFactory()]


def _on_market(university, seller, broker):
    from tests.factories import listing_on_market

    return listing_on_market(
        seller=university, seller_user=seller, broker=broker, terms=[{"mode": "transfer", "price_fen": PRICE_FEN}]
    )


def _demo_world():
    buyer = User.objects.get(email="buyer@demo.ipx.cn")
    enterprise = Membership.objects.filter(user=buyer).first().organisation
    seller = User.objects.get(email="seller.zju@demo.ipx.cn")
    university = Membership.objects.filter(user=seller).first().organisation
    listing = (
        Listing.objects.filter(seller=university, status=ListingStatus.PUBLISHED, terms__mode="transfer")
        .order_by("pk")
        .first()
    )
    return listing, enterprise, seller, buyer, []


def main() -> None:
    demo = bool(os.environ.get("SCENARIO_DEMO"))
    listing, enterprise, seller, buyer, staff = _demo_world() if demo else _own_world()
    # The builders of the deals tests, with the people of this world named (there is no test world here).
    deal = deal_signed(
        None,
        listing,
        "transfer",
        terms={"price_fen": PRICE_FEN, "instalments": INSTALMENTS},
        buyer_user=buyer,
        buyer=enterprise,
        seller_user=seller,
    )
    instalments = list(deal.instalments.order_by("due_date", "sequence", "pk").values_list("pk", "kind", "amount_fen"))
    print(
        json.dumps(
            {
                "deal": deal.pk,
                "instalments": [{"id": pk, "kind": kind, "amount_fen": amount} for pk, kind, amount in instalments],
                "buyer": buyer.email,
                "staff": [person.email for person in staff],
            }
        )
    )
