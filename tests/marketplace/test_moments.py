"""One timestamp format everywhere, in the reader's time zone: 2026-12-07 16:30, Asia/Shanghai unless the person
chose another zone; "3 minutes ago" where recency is what matters, the exact time beside it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from deals.models import NegotiationMessage
from tests.deals.conftest import on_market  # noqa: F401 - the published listing fixture
from tests.deals.factories import negotiation_opened

pytestmark = pytest.mark.django_db

AFTERNOON_UTC = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)  # 16:30 in Shanghai, 09:30 in Berlin


def rendered(value, style: str = "") -> str:
    argument = f':"{style}"' if style else ""
    return Template("{% load moments %}{{ value|moment" + argument + " }}").render(Context({"value": value}))


def test_a_moment_reads_in_shanghai_time_by_default():
    assert rendered(AFTERNOON_UTC) == (
        '<time datetime="2026-12-07T08:30:00+00:00" title="Asia/Shanghai">2026-12-07 16:30</time>'
    )


def test_a_moment_reads_in_the_zone_that_is_active():
    with timezone.override("Europe/Berlin"):
        assert ">2026-12-07 09:30</time>" in rendered(AFTERNOON_UTC)


def test_a_recent_moment_can_read_as_how_long_ago_with_the_exact_time_beside_it():
    three_minutes_ago = timezone.now() - timedelta(minutes=3)
    with translation.override("zh-hans"):
        chinese = rendered(three_minutes_ago, "relative")
    assert ">3\xa0分钟前</time>" in chinese or ">3 分钟前</time>" in chinese
    assert f'title="{timezone.localtime(three_minutes_ago):%Y-%m-%d %H:%M} (Asia/Shanghai)"' in chinese
    with translation.override("en"):
        assert "3\xa0minutes ago" in rendered(three_minutes_ago, "relative")
        assert ">just now</time>" in rendered(timezone.now(), "relative")
    a_month_ago = timezone.now() - timedelta(days=30)
    assert f">{timezone.localtime(a_month_ago):%Y-%m-%d %H:%M}</time>" in rendered(a_month_ago, "relative")


def test_a_date_without_a_time_reads_the_same_way():
    assert rendered(AFTERNOON_UTC.date()) == '<time datetime="2026-12-07">2026-12-07</time>'


def test_people_read_the_room_in_their_own_time_zone_which_they_choose_on_their_account(
    world,
    on_market,  # noqa: F811 - the fixture imported above
    client_for,
):
    negotiation = negotiation_opened(world, on_market, message="请问能否提供中试数据？")
    NegotiationMessage.objects.filter(negotiation=negotiation).update(created_at=AFTERNOON_UTC)
    buyer = client_for(world.buyer)
    room = f"/deals/negotiations/{negotiation.pk}/"
    assert ">2026-12-07 16:30</time>" in buyer.get(room).text
    assert 'data-time-zone="Asia/Shanghai"' in buyer.get(room).text  # the live messages' script writes the same

    account = buyer.get("/accounts/me/")
    assert 'name="time_zone"' in account.text
    saved = buyer.post(
        "/accounts/me/", {"display_name": "买方", "phone": "", "time_zone": "Europe/Berlin"}, follow=True
    )
    assert saved.status_code == 200

    page = buyer.get(room).text
    assert ">2026-12-07 09:30</time>" in page and 'data-time-zone="Europe/Berlin"' in page
    assert ">2026-12-07 16:30</time>" in client_for(world.seller).get(room).text  # the seller's zone is theirs


def test_an_unknown_time_zone_is_refused_with_a_form_error(world, client_for):
    response = client_for(world.buyer).post(
        "/accounts/me/", {"display_name": "买方", "phone": "", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200 and response.context["form"].errors["time_zone"]
    world.buyer.refresh_from_db()
    assert world.buyer.time_zone == "Asia/Shanghai"
