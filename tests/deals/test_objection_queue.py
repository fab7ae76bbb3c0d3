"""The staff's queue of objections awaiting a decision: each pauses a deal, so the hosting centre's staff must
find them without waiting for a notification."""

import pytest
from django.utils import translation

from deals.services.objections import notice_objection_file, notice_objection_resolve
from tests.deals.factories import deal_agreed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_chinese(settings):
    settings.PRICE_NOTICE_DAYS = 15
    with translation.override("zh-hans"):
        yield


def test_the_hosting_centres_staff_find_open_objections_in_their_queue_until_decided(world, on_market, client_for):
    deal = deal_agreed(world, on_market, "transfer")
    objection = notice_objection_file(
        notice=deal.price_notice, actor=world.outsider, reasons="价格明显低于去年的评估价值，请核实。"
    )
    broker = client_for(world.ningbo_broker)
    queue = broker.get("/notices/objections/").content.decode()
    assert on_market.title in queue and "宁波大学" in queue
    assert "1 项异议等待您的决定" in broker.get("/notices/").content.decode()

    other = client_for(world.hangzhou_broker).get("/notices/objections/").content.decode()
    assert on_market.title not in other  # another centre's staff do not decide it

    notice_objection_resolve(objection=objection, actor=world.ningbo_broker, upheld=False, reason="评估价已更新。")
    assert on_market.title not in client_for(world.ningbo_broker).get("/notices/objections/").content.decode()


def test_people_who_are_not_staff_cannot_open_the_queue(world, client_for, client):
    assert client_for(world.buyer).get("/notices/objections/").status_code == 403
    assert client.logout() is None and client.get("/notices/objections/").status_code == 302
