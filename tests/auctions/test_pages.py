"""The round's pages as people see them: a visitor, a bidder, the seller and the centre's staff."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from auctions.models import AuctionRound, Bid
from auctions.services import bid_place, round_close
from tests.auctions.factories import bidding_ended, round_opened

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


def page(client, round_):
    return client.get(f"/auctions/{round_.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_a_visitor_sees_the_terms_the_countdown_and_the_ladder_under_pseudonyms(client, hall):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    bid_place(round_=hall.round, bidder=hall.second, actor=hall.second_user, amount_fen=105_000_000)
    html = page(client, hall.round)
    assert "挂牌竞价" in html and "起拍价" in html and "¥1,000,000.00" in html
    assert "竞买人 A" in html and "竞买人 B" in html
    assert hall.first.name not in html and hall.second.name not in html
    assert 'id="auction-countdown"' in html and "下次出价至少" in html and "¥1,100,000.00" in html
    assert "登录后报名并出价" in html and 'id="bid-form"' not in html


def test_a_bidder_sees_its_own_bids_as_you_and_the_bid_form(client_for, hall):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    html = page(client_for(hall.second_user), hall.round)
    assert 'id="bid-form"' in html and "竞买人 A" in html
    html = page(client_for(hall.first_user), hall.round)
    assert "我方" in html


def test_staff_of_the_centre_see_the_bidders_names(client_for, world, hall):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    html = page(client_for(world.ningbo_broker), hall.round)
    assert hall.first.name in html and hall.second.name in html and "仅工作人员可见" in html


def test_a_bid_below_the_increment_is_refused_on_the_page_and_nothing_is_stored(client_for, hall):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    response = client_for(hall.second_user).post(
        f"/auctions/{hall.round.pk}/bid/", {"bidder": hall.second.pk, "amount_fen": "1020000"}
    )
    assert response.status_code == 400
    assert "出价至少为 ¥1,050,000.00" in response.content.decode()
    assert Bid.objects.filter(round=hall.round).count() == 1


def test_a_bid_posted_by_the_form_is_stored(client_for, hall):
    response = client_for(hall.first_user).post(
        f"/auctions/{hall.round.pk}/bid/", {"bidder": hall.first.pk, "amount_fen": "1000000"}
    )
    assert response.status_code == 302
    assert Bid.objects.get(round=hall.round).amount_fen == 100_000_000


def test_someone_who_has_not_paid_a_deposit_cannot_post_a_bid(client_for, world, hall):
    response = client_for(world.outsider).post(
        f"/auctions/{hall.round.pk}/bid/", {"bidder": world.other_enterprise.pk, "amount_fen": "1000000"}
    )
    assert response.status_code == 400
    assert not Bid.objects.filter(round=hall.round).exists()


def test_the_seller_opens_a_round_from_the_form_and_the_centres_minimum_is_explained(client_for, world, on_market):
    client = client_for(world.seller)
    soon = timezone.localtime() + timedelta(days=2)
    form = {
        "mode": "transfer",
        "start_price_fen": "1000000",
        "increment_fen": "50000",
        "deposit_fen": "100000",
        "bidding_starts_at": soon.strftime("%Y-%m-%dT%H:%M"),
        "bidding_ends_at": (soon + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "extension_minutes": "5",
    }
    response = client.post(f"/auctions/new/{on_market.pk}/", form)
    assert response.status_code == 200 and "挂牌公告期至少 10 天" in response.content.decode()
    assert not AuctionRound.objects.exists()
    later = timezone.localtime() + timedelta(days=11)
    form |= {
        "bidding_starts_at": later.strftime("%Y-%m-%dT%H:%M"),
        "bidding_ends_at": (later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(f"/auctions/new/{on_market.pk}/", form)
    round_ = AuctionRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/auctions/{round_.pk}/"
    assert round_.start_price_fen == 100_000_000 and round_.deposit_fen == 10_000_000


def test_a_buyer_cannot_open_a_round_on_someone_elses_listing(client_for, world, on_market):
    assert client_for(world.buyer).get(f"/auctions/new/{on_market.pk}/").status_code == 403


def test_the_result_notice_names_the_buyer_and_price_and_the_feed_carries_it(
    client, hall, django_capture_on_commit_callbacks
):
    bid_place(round_=hall.round, bidder=hall.first, actor=hall.first_user, amount_fen=100_000_000)
    bid_place(round_=hall.round, bidder=hall.second, actor=hall.second_user, amount_fen=110_000_000)
    bidding_ended(hall.round)
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=hall.round)
    html = page(client, hall.round)
    assert "成交公告" in html and "¥1,100,000.00" in html and hall.second.name in html
    listing = client.get("/auctions/").content.decode()
    assert "成交价 ¥1,100,000.00" in listing
    feed = client.get("/auctions/results/feed/").content.decode()
    assert "<feed" in feed and hall.second.name in feed and "¥1,100,000.00" in feed


def test_a_failed_round_is_shown_as_such(client, world, on_market, django_capture_on_commit_callbacks):
    round_ = bidding_ended(round_opened(on_market, world.seller))
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=round_)
    html = page(client, round_)
    assert "流拍" in html and "无人出价" in html


def test_the_rounds_page_lists_the_listings_documents_a_confidential_one_behind_its_nda(client, world, hall):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from listings.services import listing_attach

    pdf = b"%PDF-1.7\n%test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    listing = hall.round.listing
    public = listing_attach(
        listing=listing,
        actor=world.seller,
        upload=SimpleUploadedFile("技术说明.pdf", pdf, content_type="application/pdf"),
    )
    secret = listing_attach(
        listing=listing,
        actor=world.seller,
        upload=SimpleUploadedFile("中试数据.pdf", pdf, content_type="application/pdf"),
        confidential=True,
    )
    html = page(client, hall.round)
    assert f"/patents/{listing.pk}/documents/{public.pk}/" in html
    assert "中试数据.pdf" in html and f"/documents/{secret.pk}/" not in html
