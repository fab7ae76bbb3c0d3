import pytest

from auctions.services import deposit_register
from tests.auctions.factories import Hall, bidding_started, deposit_paid, round_opened
from tests.deals.conftest import on_market  # noqa: F401 - the published listing fixture
from tests.factories import CentreStaffFactory, OrganisationFactory, signatory_member


@pytest.fixture
def second_ningbo_broker(world):
    return CentreStaffFactory(centre=world.ningbo).user


@pytest.fixture
def hall(world, on_market, second_ningbo_broker):  # noqa: F811
    """Bidding is on in a transfer round of 宁波大学's listing; two firms have paid their deposits."""
    round_ = round_opened(on_market, world.seller)
    second = OrganisationFactory(name="杭州拍得科技有限公司", centre=world.hangzhou)
    second_user = signatory_member(second)
    first_deposit = deposit_register(round_=round_, organisation=world.enterprise, actor=world.buyer)
    second_deposit = deposit_register(round_=round_, organisation=second, actor=second_user)
    for deposit in (first_deposit, second_deposit):
        deposit_paid(deposit, recorded_by=world.ningbo_broker, confirmed_by=second_ningbo_broker)
    return Hall(
        round=bidding_started(round_),
        first=world.enterprise,
        first_user=world.buyer,
        second=second,
        second_user=second_user,
        first_deposit=first_deposit,
        second_deposit=second_deposit,
    )
