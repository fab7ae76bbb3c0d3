"""The public notice of agreed prices (协议定价公示): a public university's agreed deal is published for the notice
period before its contract may be signed; anyone signed in may object, which pauses the deal until the hosting
centre's staff dismiss (the deal proceeds) or uphold (the deal is withdrawn) it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from deals.models import (
    DealStatus,
    NoticeObjection,
    ObjectionStatus,
    PriceNotice,
    PriceNoticeEvent,
    PriceNoticeStatus,
)
from deals.services.deals import deal_create_from_offer, deal_sign
from deals.services.objections import notice_objection_file, notice_objection_resolve
from deals.tasks import clear_price_notices
from tests.deals.factories import ORDINARY_LICENCE_TERMS, deal_agreed, sign_contract
from tests.factories import listing_on_market, sign_in, signatory_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_chinese():
    """The services' refusals are read in the site's language, whatever an earlier test left active in this
    thread (a request in English leaves English active)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def fifteen_days(settings):
    settings.PRICE_NOTICE_DAYS = 15
    return 15


def _after_the_period(notice: PriceNotice) -> None:
    """Move the notice's period into the past, as if the days had gone by."""
    PriceNotice.objects.filter(pk=notice.pk).update(
        starts_at=notice.starts_at - timedelta(days=16), ends_at=notice.ends_at - timedelta(days=16)
    )


def _post_objection(client, notice, reasons):
    return client.post(reverse("notices:object", args=[notice.pk]), {"reasons": reasons})


def test_a_universitys_agreed_deal_publishes_a_notice_of_its_price_for_fifteen_days(world, on_market, fifteen_days):
    deal = deal_agreed(world, on_market, "transfer")

    notice = deal.price_notice
    assert notice.status == PriceNoticeStatus.OPEN
    assert (notice.seller, notice.buyer, notice.listing, notice.mode) == (
        world.university,
        world.enterprise,
        on_market,
        "transfer",
    )
    assert notice.amount_fen == 180_000_000
    assert notice.ends_at - notice.starts_at == timedelta(days=15)
    assert notice.events.get().to_status == PriceNoticeStatus.OPEN


def test_signing_is_refused_during_the_notice_period_with_the_reason(world, on_market, fifteen_days, client):
    deal = deal_agreed(world, on_market, "transfer")

    with pytest.raises(ValidationError, match="协议价格公示至") as refused:
        deal_sign(deal=deal, actor=world.buyer)
    assert refused.value.code == "price_notice"
    deal.refresh_from_db()
    assert deal.buyer_signed_at is None

    sign_in(client, world.buyer)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "协议价格公示至" in page  # the site speaks Chinese first
    assert reverse("deals:sign", args=[deal.pk]) not in page  # no signing form yet
    answer = client.post(reverse("deals:sign", args=[deal.pk]), {"sign-confirm": "on"}, follow=True)
    assert "协议价格公示至" in answer.content.decode()
    deal.refresh_from_db()
    assert deal.buyer_signed_at is None


def test_after_the_period_the_parties_sign_and_the_notice_is_cleared(world, on_market, fifteen_days, client):
    deal = deal_agreed(world, on_market, "transfer")
    _after_the_period(deal.price_notice)

    sign_in(client, world.buyer)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "公示期已满且无待审异议：可以签署合同。" in page
    deal = sign_contract(world, deal)

    assert deal.status == DealStatus.CONTRACT_SIGNED
    assert PriceNotice.objects.get(deal=deal).status == PriceNoticeStatus.CLEARED


def test_an_objection_pauses_the_deal_and_the_public_notice_says_so(world, on_market, fifteen_days, client):
    deal = deal_agreed(world, on_market, "transfer")
    notice = deal.price_notice

    sign_in(client, world.outsider)
    answer = _post_objection(client, notice, "The price is far below the appraisal made last year.")
    assert answer.status_code == 302

    notice.refresh_from_db()
    assert notice.status == PriceNoticeStatus.OBJECTED
    assert NoticeObjection.objects.get(notice=notice).filed_by == world.outsider
    _after_the_period(notice)  # even after the period, an objection under review holds the deal
    with pytest.raises(ValidationError, match="异议正在审查中"):
        deal_sign(deal=deal, actor=world.buyer)
    client.logout()
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "异议审查中：交易暂停" in page
    assert "far below the appraisal" not in page  # reasons are for the staff and the parties, not the public


def test_staff_dismiss_an_objection_and_the_deal_proceeds(world, on_market, fifteen_days, client):
    deal = deal_agreed(world, on_market, "transfer")
    notice = deal.price_notice
    objection = notice_objection_file(notice=notice, actor=world.outsider, reasons="价格明显低于评估价值，请核查。")
    _after_the_period(notice)

    sign_in(client, world.ningbo_broker)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "价格明显低于评估价值" in page
    answer = client.post(
        reverse("notices:resolve", args=[objection.pk]),
        {
            f"objection-{objection.pk}-decision": "dismiss",
            f"objection-{objection.pk}-reason": "评估报告已核实，价格合理。",
        },
    )
    assert answer.status_code == 302

    objection.refresh_from_db()
    notice.refresh_from_db()
    assert (objection.status, objection.resolved_by, objection.resolution) == (
        ObjectionStatus.DISMISSED,
        world.ningbo_broker,
        "评估报告已核实，价格合理。",
    )
    assert notice.status == PriceNoticeStatus.CLEARED  # the period was over: signing opens at once
    assert list(notice.events.values_list("to_status", flat=True)) == ["open", "objected", "open", "cleared"]
    deal = sign_contract(world, deal)
    assert deal.status == DealStatus.CONTRACT_SIGNED


def test_staff_uphold_an_objection_and_the_deal_is_cancelled_with_the_reason(world, on_market, fifteen_days):
    deal = deal_agreed(world, on_market, "transfer")
    notice = deal.price_notice
    objection = notice_objection_file(
        notice=notice, actor=world.outsider, reasons="该专利已被质押，转让须经质权人同意。"
    )
    second = notice_objection_file(notice=notice, actor=world.stranger, reasons="同意上一条异议，质押未解除。")

    notice_objection_resolve(objection=objection, actor=world.root_staff, upheld=True, reason="质押属实，撤回交易。")

    deal.refresh_from_db()
    notice.refresh_from_db()
    assert deal.status == DealStatus.CANCELLED
    assert "质押属实，撤回交易。" in deal.cancel_reason
    assert deal.events.last().actor == world.root_staff
    assert notice.status == PriceNoticeStatus.WITHDRAWN
    assert NoticeObjection.objects.get(pk=second.pk).status == ObjectionStatus.MOOT
    assert PriceNoticeEvent.objects.filter(notice=notice, to_status="withdrawn", actor=world.root_staff).exists()


def test_only_staff_of_the_hosting_centre_or_above_resolve_objections(world, on_market, fifteen_days, client):
    deal = deal_agreed(world, on_market, "transfer")
    objection = notice_objection_file(notice=deal.price_notice, actor=world.outsider, reasons="价格明显偏低，请核查。")

    with pytest.raises(PermissionDenied):
        notice_objection_resolve(objection=objection, actor=world.hangzhou_broker, upheld=True, reason="x")
    with pytest.raises(PermissionDenied):
        notice_objection_resolve(objection=objection, actor=world.seller, upheld=False, reason="x")
    sign_in(client, world.hangzhou_broker)
    answer = client.post(
        reverse("notices:resolve", args=[objection.pk]),
        {f"objection-{objection.pk}-decision": "uphold", f"objection-{objection.pk}-reason": "no"},
    )
    assert answer.status_code == 403
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN


def test_an_enterprise_sellers_deal_has_no_notice_and_signs_at_once(world, fifteen_days):
    seller_user = signatory_member(world.other_enterprise)
    firm_listing = listing_on_market(
        seller=world.other_enterprise,
        seller_user=seller_user,
        broker=world.hangzhou_broker,
        terms=[{"mode": "transfer", "price_fen": 50_000_000}],
    )
    deal = deal_agreed(world, firm_listing, "transfer", seller_user=seller_user)

    assert not PriceNotice.objects.filter(deal=deal).exists()
    deal = sign_contract(world, deal, seller_user=seller_user)
    assert deal.status == DealStatus.CONTRACT_SIGNED


def test_an_express_licence_at_the_listings_published_price_needs_no_notice(world, on_market, fifteen_days):
    from deals.services.negotiations import express_licence_take

    assert on_market.seller.kind == "university"
    deal = express_licence_take(listing=on_market, actor=world.buyer, buyer=world.enterprise)

    assert not PriceNotice.objects.filter(deal=deal).exists()  # the price was public before anyone took it
    assert sign_contract(world, deal).status == DealStatus.CONTRACT_SIGNED


def test_an_auction_price_skips_the_notice(world, on_market, fifteen_days):
    from deals.services.negotiations import offer_propose
    from tests.deals.factories import TRANSFER_TERMS, negotiation_opened

    negotiation = negotiation_opened(world, on_market, "transfer")
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=TRANSFER_TERMS)
    deal = deal_create_from_offer(negotiation=negotiation, offer=offer, actor=world.buyer, priced_by_agreement=False)

    assert not PriceNotice.objects.filter(deal=deal).exists()


def test_anyone_sees_the_notice_list_page_and_feed_but_only_signed_in_people_may_object(
    world, on_market, fifteen_days, client
):
    deal = deal_agreed(world, on_market, "transfer")
    notice = deal.price_notice

    listing_page = client.get(reverse("notices:list"))
    assert listing_page.status_code == 200
    assert notice.get_absolute_url() in listing_page.content.decode()
    assert "宁波大学" in listing_page.content.decode()
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "¥1,800,000.00" in page and "宁波甬新材料科技有限公司" in page
    assert "登录后可对本公示提出异议" in page and 'name="reasons"' not in page
    feed = client.get(reverse("notices:feed"))
    assert feed.status_code == 200 and notice.get_absolute_url() in feed.content.decode()
    assert notice.get_absolute_url() in client.get("/sitemap.xml").content.decode()

    answer = _post_objection(client, notice, "An anonymous objection should not be accepted.")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert not NoticeObjection.objects.exists()


def test_a_bad_objection_is_a_form_error_and_nothing_is_filed(world, on_market, fifteen_days, client):
    notice = deal_agreed(world, on_market, "transfer").price_notice
    sign_in(client, world.outsider)

    answer = _post_objection(client, notice, "short")

    assert answer.status_code == 200
    assert 'class="error"' in answer.content.decode()
    assert not NoticeObjection.objects.exists()
    notice.refresh_from_db()
    assert notice.status == PriceNoticeStatus.OPEN


def test_one_open_objection_per_person_and_none_after_the_period(world, on_market, fifteen_days):
    notice = deal_agreed(world, on_market, "transfer").price_notice
    notice_objection_file(notice=notice, actor=world.outsider, reasons="价格明显偏低，请核查。")

    with pytest.raises(ValidationError, match="已在审查中"):
        notice_objection_file(notice=notice, actor=world.outsider, reasons="再次提出同样的异议。。")
    _after_the_period(notice)
    with pytest.raises(ValidationError, match="公示期已结束"):
        notice_objection_file(notice=notice, actor=world.stranger, reasons="期满后的异议不应被受理。")


def test_the_periodic_task_clears_ended_notices_once(world, on_market, fifteen_days):
    ended = deal_agreed(world, on_market, "licence", terms=ORDINARY_LICENCE_TERMS).price_notice
    running = deal_agreed(world, on_market, "transfer").price_notice
    _after_the_period(ended)

    assert clear_price_notices.call() == 1
    assert clear_price_notices.call() == 0

    ended.refresh_from_db()
    running.refresh_from_db()
    assert ended.status == PriceNoticeStatus.CLEARED
    assert running.status == PriceNoticeStatus.OPEN
    assert ended.events.filter(to_status="cleared", actor=None).count() == 1


def test_a_party_cancelling_the_deal_withdraws_its_notice(world, on_market, fifteen_days):
    from deals.services.deals import deal_cancel

    deal = deal_agreed(world, on_market, "transfer")
    deal_cancel(deal=deal, actor=world.buyer, reason="董事会未批准。")

    assert PriceNotice.objects.get(deal=deal).status == PriceNoticeStatus.WITHDRAWN
    assert timezone.now() >= PriceNotice.objects.get(deal=deal).starts_at


def test_anonymous_notice_pages_come_from_the_page_cache_until_an_objection_changes_them(
    world, on_market, fifteen_days, client
):
    notice = deal_agreed(world, on_market, "transfer").price_notice
    urls = [reverse("notices:list"), notice.get_absolute_url()]
    for url in urls:
        first = client.get(url)
        assert "public" in first["Cache-Control"] and first.cookies == {}
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).content == first.content
        assert len(queries) == 0, (url, [q["sql"][:150] for q in queries.captured_queries])

    notice_objection_file(notice=notice, actor=world.outsider, reasons="价格明显低于评估价值，请核查。")

    assert "异议审查中：交易暂停" in client.get(notice.get_absolute_url()).content.decode()


def test_a_deployment_with_a_notice_period_under_fifteen_days_is_warned(settings):
    from deals.checks import price_notice_period_is_legal

    settings.PRICE_NOTICE_DAYS = 15
    assert price_notice_period_is_legal(None) == []
    settings.PRICE_NOTICE_DAYS = 7
    assert [message.id for message in price_notice_period_is_legal(None)] == ["deals.W003"]


def test_an_objection_is_told_to_the_parties_and_the_hosting_centres_staff(world, on_market, fifteen_days, monkeypatch):
    from deals.services import rooms

    told = []
    monkeypatch.setattr(rooms, "notify_users_on_commit", lambda ids, payload: told.append((set(ids), payload)))
    notice = deal_agreed(world, on_market, "transfer").price_notice
    told.clear()

    notice_objection_file(notice=notice, actor=world.outsider, reasons="价格明显低于评估价值，请核查。")

    ((people, payload),) = told
    assert {world.buyer.pk, world.seller.pk, world.ningbo_broker.pk} <= people
    assert world.outsider.pk not in people and world.hangzhou_broker.pk not in people
    assert payload["url"] == notice.get_absolute_url()
