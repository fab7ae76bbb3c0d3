"""An exclusive licence closes at most once, even when many buyers accept at the same instant.

Real parallel transactions: each thread has its own database connection and accepts a different
negotiation's exclusive offer. The database's unique index on active exclusive claims lets exactly one win.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from deals.models import Deal, ExclusiveClaim
from deals.services.negotiations import negotiation_open, offer_accept, offer_propose
from tests.deals.factories import LICENCE_TERMS
from tests.factories import OrganisationFactory, PatentFactory, listing_on_market, signatory_member

pytestmark = pytest.mark.django_db(transaction=True)
BUYERS = 8


def test_many_buyers_accepting_an_exclusive_licence_at_once_give_exactly_one_deal(world):
    patent = PatentFactory(owners=[world.university])
    listing = listing_on_market(
        seller=world.university,
        seller_user=world.seller,
        broker=world.ningbo_broker,
        patent=patent,
        licence={"licence_types": ["exclusive", "ordinary"]},
    )
    offers = []
    for index in range(BUYERS):
        organisation = OrganisationFactory(name=f"竞买企业{index}", centre=world.ningbo)
        buyer = signatory_member(organisation, role="member")
        negotiation = negotiation_open(listing=listing, mode="licence", actor=buyer, buyer=organisation)
        offers.append((offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS), buyer))

    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(offer, buyer):
        try:
            barrier.wait(timeout=10)
            offer_accept(offer=offer, actor=buyer)
            result = "deal"
        except ValidationError:
            result = "refused"
        except Exception as error:  # noqa: BLE001 - any other failure is a test failure, reported below
            result = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=pair) for pair in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["deal"] + ["refused"] * (BUYERS - 1), outcomes
    assert Deal.objects.filter(listing=listing).count() == 1
    assert ExclusiveClaim.objects.filter(patent=patent, active=True).count() == 1
    assert connection.vendor in {"postgresql", "sqlite"}
