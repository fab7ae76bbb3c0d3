from dataclasses import dataclass

import pytest

from marketplace.centres.models import OperationCentre, StaffRole
from marketplace.centres.selectors import forget_centre_tree
from marketplace.core.pagecache import forget_stored_pages
from marketplace.organisations.models import Organisation, OrganisationKind
from tests.factories import (
    CentreFactory,
    CentreStaffFactory,
    MembershipFactory,
    OrganisationFactory,
    RootCentreFactory,
    UserFactory,
    sign_in,
    signatory_member,
)


@pytest.fixture(autouse=True)
def nothing_kept_from_another_test():
    """Each test starts without the public pages (marketplace.core.pagecache) or the centres tree
    (marketplace.centres.selectors) that another test kept: they outlive the rows a test rolls back."""
    forget_stored_pages()
    forget_centre_tree()


@dataclass
class World:
    """A small "1+X" world with one person for every role the platform knows."""

    root: OperationCentre
    ningbo: OperationCentre
    ningbo_alliance: OperationCentre  # a sub-centre of Ningbo
    hangzhou: OperationCentre
    university: Organisation  # registered with Ningbo
    enterprise: Organisation  # registered with the alliance, below Ningbo
    other_enterprise: Organisation  # registered with Hangzhou
    seller: object  # administrator and verified signatory of the university
    buyer: object  # administrator and verified signatory of the enterprise
    outsider: object  # a member of another organisation
    root_staff: object
    ningbo_broker: object
    alliance_broker: object
    hangzhou_broker: object
    stranger: object  # signed in, no organisation, no centre


@pytest.fixture
def world(db) -> World:
    root = RootCentreFactory()
    ningbo = CentreFactory(name="宁波知识产权交易中心", slug="ningbo", parent=root)
    alliance = CentreFactory(name="新能源汽车产业运营中心", slug="nev", parent=ningbo, kind="industry_alliance")
    hangzhou = CentreFactory(name="杭州知识产权交易中心", slug="hangzhou", parent=root)
    university = OrganisationFactory(name="宁波大学", kind=OrganisationKind.UNIVERSITY, centre=ningbo)
    enterprise = OrganisationFactory(name="宁波甬新材料科技有限公司", centre=alliance)
    other = OrganisationFactory(name="杭州数衡智能科技有限公司", centre=hangzhou)
    # The seller and the buyer accept, sign and pay for their organisations: administrators and verified signatories.
    seller = signatory_member(university)
    buyer = signatory_member(enterprise)
    outsider = MembershipFactory(organisation=other).user
    return World(
        root=root,
        ningbo=ningbo,
        ningbo_alliance=alliance,
        hangzhou=hangzhou,
        university=university,
        enterprise=enterprise,
        other_enterprise=other,
        seller=seller,
        buyer=buyer,
        outsider=outsider,
        root_staff=CentreStaffFactory(centre=root, role=StaffRole.ADMIN).user,
        ningbo_broker=CentreStaffFactory(centre=ningbo).user,
        alliance_broker=CentreStaffFactory(centre=alliance).user,
        hangzhou_broker=CentreStaffFactory(centre=hangzhou).user,
        stranger=UserFactory(),
    )


@pytest.fixture
def client_for(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        sign_in(client, user)
        return client

    return login
