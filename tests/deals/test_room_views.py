"""The enquiry page, the negotiation room over plain HTTP, and the list of one's negotiations: what people do
and see, with JavaScript off."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from deals.models import Deal, Negotiation, NegotiationStatus, Offer, OfferStatus, PassReason
from deals.selectors import unread_count
from deals.services.negotiations import message_post, offer_propose
from deals.term_sheets import offer_changes, term_rows
from listings.models import ListingTerms
from tests.deals.factories import LICENCE_TERMS, negotiation_opened
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    """Log the test client in as the given user, reading the site in English (the default is Chinese)."""

    def login(user):
        sign_in(client, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def negotiation(world, on_market) -> Negotiation:
    return negotiation_opened(world, on_market)


def url(name: str, negotiation: Negotiation, *args) -> str:
    return reverse(f"negotiations:{name}", args=[negotiation.pk, *args])


def action_url(negotiation: Negotiation, offer: Offer, action: str) -> str:
    return url("offer_action", negotiation, offer.pk, action)


def offer_post(**fields) -> dict:
    """A licence offer form as a browser posts it (amounts typed in yuan)."""
    data = {
        "licence_type": "exclusive",
        "territory": "中国大陆",
        "field_of_use": "动力电池",
        "term_years": "5",
        "payment_mode": "fixed",
        "upfront_fee_fen": "500000",
        "royalty_rate": "",
        "minimum_annual_royalty_fen": "",
        "note": "",
    }
    data.update(fields)
    return {f"offer-{name}": value for name, value in data.items()}


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- Enquiry ----------------------------------------------------------------------------------------------


def test_enquiring_from_a_listing_is_free_and_opens_the_room(client_for, world, on_market):
    client = client_for(world.buyer)
    page = client.get(reverse("negotiations:enquire", args=[on_market.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Enquiring is free." in html
    enquiry_form = re.search(
        r'<form method="post" class="form" novalidate aria-describedby="free-notice">(.*?)</form>', html, re.S
    )
    assert enquiry_form is not None
    # The enquiry itself asks for no money: no amount, no fee, no payment in its form. (Without the CSRF token,
    # whose random letters spell "PAY" or "fee" about once in a hundred runs.)
    form_html = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", enquiry_form.group(1))
    assert not re.search(r"fee|_fen|price|pay|¥|元", form_html, re.I)

    response = client.post(
        reverse("negotiations:enquire", args=[on_market.pk]),
        {"mode": "transfer", "buyer": world.enterprise.pk, "message": "我们想了解转让条件"},
    )
    negotiation = Negotiation.objects.get(listing=on_market, buyer=world.enterprise, mode="transfer")
    assert response.status_code == 302 and response.url == url("room", negotiation)
    room = client.get(response.url)
    assert "我们想了解转让条件" in room.content.decode()
    assert negotiation.broker == world.ningbo_broker


def test_anonymous_visitors_are_asked_to_log_in_before_enquiring(client, on_market):
    response = client.get(reverse("negotiations:enquire", args=[on_market.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_someone_without_a_buyer_organisation_is_told_how_to_get_one(client_for, world, on_market):
    for person in (world.stranger, world.seller):  # the seller cannot buy its own listing either
        page = client_for(person).get(reverse("negotiations:enquire", args=[on_market.pk]))
        assert page.status_code == 200
        assert "Register an organisation" in page.content.decode()
        assert 'name="mode"' not in page.content.decode()


def test_an_enquiry_on_a_mode_the_listing_does_not_offer_is_a_form_error(client_for, world, on_market):
    ListingTerms.objects.filter(listing=on_market, mode="equity").update(is_open=False)
    response = client_for(world.buyer).post(
        reverse("negotiations:enquire", args=[on_market.pk]), {"mode": "equity", "buyer": world.enterprise.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["mode"]
    assert not Negotiation.objects.exists()


def test_an_enquiry_for_someone_elses_organisation_is_a_form_error(client_for, world, on_market):
    response = client_for(world.buyer).post(
        reverse("negotiations:enquire", args=[on_market.pk]), {"mode": "licence", "buyer": world.other_enterprise.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["buyer"]


# --- The room ---------------------------------------------------------------------------------------------


def test_the_room_shows_the_persisted_history_and_marks_it_read(client_for, world, negotiation):
    message_post(negotiation=negotiation, actor=world.seller, body="欢迎来谈，<b>价格</b>可议")
    assert unread_count(negotiation, world.buyer) == 1
    page = client_for(world.buyer).get(url("room", negotiation))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="log" aria-live="polite"' in html
    assert "欢迎来谈，&lt;b&gt;价格&lt;/b&gt;可议" in html  # persisted, and escaped
    assert world.enterprise.name in html and world.university.name in html and str(world.ningbo_broker) in html
    assert "js/negotiation-room.js" in html
    assert unread_count(negotiation, world.buyer) == 0


def test_an_offer_typed_in_yuan_is_stored_in_fen_as_a_new_version(client_for, world, negotiation):
    client = client_for(world.buyer)
    response = client.post(url("propose", negotiation), offer_post(upfront_fee_fen="500000.50"))
    assert response.status_code == 302 and response.url == url("room", negotiation)
    offer = negotiation.offers.get()
    assert (offer.version, offer.side, offer.upfront_fee_fen) == (1, "buyer", 50_000_050)
    page = client.get(url("room", negotiation)).content.decode()
    assert "¥500,000.50" in page
    assert "Withdraw version 1" in page and "Accept version 1" not in page  # one's own side cannot accept


def test_a_royalty_licence_takes_a_rate_in_percent(client_for, world, negotiation):
    response = client_for(world.seller).post(
        url("propose", negotiation),
        offer_post(payment_mode="royalty", upfront_fee_fen="", royalty_rate="3.5", minimum_annual_royalty_fen="20000"),
    )
    assert response.status_code == 302
    offer = negotiation.offers.get()
    assert offer.royalty_rate == Decimal("3.5") and offer.minimum_annual_royalty_fen == 2_000_000


def test_transfer_and_equity_rooms_offer_their_own_term_sheets(client_for, world, on_market):
    client = client_for(world.buyer)
    transfer = negotiation_opened(world, on_market, "transfer")
    equity = negotiation_opened(world, on_market, "equity")
    assert 'name="offer-instalments"' in client.get(url("room", transfer)).content.decode()
    client.post(url("propose", transfer), {"offer-price_fen": "1800000", "offer-instalments": "3"})
    assert (transfer.offers.get().price_fen, transfer.offers.get().instalments) == (180_000_000, 3)
    client.post(
        url("propose", equity),
        {"offer-appraised_value_fen": "3000000", "offer-share_percent": "12.5", "offer-receiving_company": "甬新电池"},
    )
    offer = equity.offers.get()
    assert (offer.appraised_value_fen, offer.share_percent, offer.receiving_company) == (
        300_000_000,
        Decimal("12.5"),
        "甬新电池",
    )


def test_the_room_shows_what_changed_between_versions(client_for, world, negotiation):
    offer_propose(negotiation=negotiation, actor=world.buyer, terms=LICENCE_TERMS)
    client = client_for(world.seller)
    client.post(url("propose", negotiation), offer_post(upfront_fee_fen="800000", term_years="8"))
    html = client.get(url("room", negotiation)).content.decode()
    version_two = re.search(r'<article class="offer offer-proposed" id="offer-v2".*?</article>', html, re.S).group(0)
    changes = re.search(r'<table class="table offer-changes">.*?</table>', version_two, re.S).group(0)
    assert "What changed since version 1" in changes
    assert re.search(r"Upfront fee</th><td><del>¥500,000</del></td><td><ins>¥800,000</ins>", changes)
    assert re.search(r"Term \(years\)</th><td><del>5</del></td><td><ins>8</ins>", changes)
    assert "Territory" not in changes  # unchanged terms are not listed
    assert "The first version in this negotiation." in html  # version 1 has nothing to compare with


def test_offer_changes_compare_terms_and_show_money_in_yuan():
    before = Offer(upfront_fee_fen=50_000_000, royalty_rate=Decimal("3.00"), territory="中国大陆", payment_mode="fixed")
    after = Offer(upfront_fee_fen=80_000_050, royalty_rate=Decimal("3"), territory="中国大陆", payment_mode="royalty")
    changes = {change.field: (change.old, change.new) for change in offer_changes(before, after, "licence")}
    assert changes == {"upfront_fee_fen": ("¥500,000", "¥800,000.50"), "payment_mode": ("Fixed sum", "Royalty")}
    assert offer_changes(None, after, "licence") == []
    rows = {row.field: row.value for row in term_rows(after, "licence")}
    assert rows["royalty_rate"] == "3 %" and rows["field_of_use"] == "—" and "note" not in rows


def test_accepting_over_http_makes_a_deal_and_goes_to_the_deal_page(client_for, world, negotiation):
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
    client = client_for(world.buyer)
    assert "Accept version 1" in client.get(url("room", negotiation)).content.decode()
    response = client.post(action_url(negotiation, offer, "accept"))
    deal = Deal.objects.get(negotiation=negotiation)
    assert response.status_code == 302 and response.url == reverse("deals:detail", args=[deal.pk])
    negotiation.refresh_from_db()
    assert negotiation.status == NegotiationStatus.AGREED
    room = client.get(url("room", negotiation)).content.decode()
    assert f"Go to deal #{deal.pk}" in room and 'name="body"' not in room


def test_ones_own_offer_cannot_be_accepted_and_the_page_says_why(client_for, world, negotiation):
    offer = offer_propose(negotiation=negotiation, actor=world.buyer, terms=LICENCE_TERMS)
    response = client_for(world.buyer).post(action_url(negotiation, offer, "accept"), follow=True)
    assert response.redirect_chain[-1][0] == url("room", negotiation)
    assert any("other side must accept" in text for text in page_messages(response))
    assert not Deal.objects.exists()


def test_the_other_side_rejects_and_the_proposer_withdraws(client_for, world, negotiation):
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
    response = client_for(world.buyer).post(action_url(negotiation, offer, "reject"), {"reject-reason": "价格太高"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.REJECTED
    assert "价格太高" in negotiation.messages.last().body
    again = offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
    client_for(world.seller).post(action_url(negotiation, again, "withdraw"))
    again.refresh_from_db()
    assert again.status == OfferStatus.WITHDRAWN


def test_the_broker_follows_but_cannot_accept(client_for, world, negotiation):
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
    client = client_for(world.ningbo_broker)
    html = client.get(url("room", negotiation)).content.decode()
    assert "Accept version 1" not in html and 'name="offer-licence_type"' not in html
    response = client.post(action_url(negotiation, offer, "accept"), follow=True)
    assert response.status_code == 200 and not Deal.objects.exists()
    client.post(url("post_message", negotiation), {"body": "我是宁波中心的经纪人"})
    assert negotiation.messages.last().side == "broker"


def test_the_buyer_passes_with_a_reason(client_for, world, negotiation):
    client = client_for(world.buyer)
    html = client.get(url("room", negotiation)).content.decode()
    assert 'name="pass-reason"' in html and "Technology maturity" in html
    missing_text = client.post(url("pass", negotiation), {"pass-reason": "other", "pass-text": ""})
    assert missing_text.status_code == 400 and missing_text.context["pass_form"].errors["text"]
    response = client.post(url("pass", negotiation), {"pass-reason": "other", "pass-text": "已有替代方案"})
    assert response.status_code == 302
    negotiation.refresh_from_db()
    assert (negotiation.status, negotiation.pass_reason, negotiation.pass_reason_text) == (
        NegotiationStatus.PASSED,
        PassReason.OTHER,
        "已有替代方案",
    )


def test_only_the_buyer_may_pass_and_only_the_seller_may_decline(client_for, world, negotiation):
    seller = client_for(world.seller)
    assert 'name="pass-reason"' not in seller.get(url("room", negotiation)).content.decode()
    refused = seller.post(url("pass", negotiation), {"pass-reason": "price"})
    assert refused.status_code == 400
    seller.post(url("decline", negotiation), {"decline-text": "已授权他人"})
    negotiation.refresh_from_db()
    assert negotiation.status == NegotiationStatus.DECLINED


def test_outsiders_get_404_on_every_room_url(client_for, world, negotiation):
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
    before = negotiation.messages.count()
    for person in (world.outsider, world.hangzhou_broker, world.stranger):
        client = client_for(person)
        assert client.get(url("room", negotiation)).status_code == 404
        assert client.get(url("history_json", negotiation)).status_code == 404
        assert client.post(url("post_message", negotiation), {"body": "hi"}).status_code == 404
        assert client.post(url("propose", negotiation), offer_post()).status_code == 404
        for action in ("accept", "reject", "withdraw"):
            assert client.post(action_url(negotiation, offer, action)).status_code == 404
        assert client.post(url("pass", negotiation), {"pass-reason": "price"}).status_code == 404
        assert client.post(url("decline", negotiation)).status_code == 404
        assert world.university.name not in client.get(reverse("negotiations:list")).content.decode()
        client.logout()
    assert negotiation.messages.count() == before
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PROPOSED


def test_anonymous_visitors_are_sent_to_log_in_from_the_room(client, negotiation):
    response = client.get(url("room", negotiation))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_root_staff_may_read_the_room(client_for, world, negotiation):
    assert client_for(world.root_staff).get(url("room", negotiation)).status_code == 200


def test_express_licence_gives_a_deal_in_one_step(client_for, world, on_market):
    client = client_for(world.buyer)
    page = client.get(reverse("negotiations:enquire", args=[on_market.pk])).content.decode()
    assert "Express licence" in page and "¥100,000" in page
    response = client.post(reverse("negotiations:express", args=[on_market.pk]), {"express-buyer": world.enterprise.pk})
    deal = Deal.objects.get()
    assert response.status_code == 302 and response.url == reverse("deals:detail", args=[deal.pk])
    assert (deal.licence_type, deal.buyer, deal.offer.upfront_fee_fen) == ("ordinary", world.enterprise, 10_000_000)


def test_express_licence_without_standard_terms_is_refused_with_a_message(client_for, world, on_market):
    ListingTerms.objects.filter(listing=on_market, mode="licence").update(express_ordinary=False)
    client = client_for(world.buyer)
    assert "Express licence" not in client.get(reverse("negotiations:enquire", args=[on_market.pk])).content.decode()
    response = client.post(
        reverse("negotiations:express", args=[on_market.pk]), {"express-buyer": world.enterprise.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("negotiations:enquire", args=[on_market.pk])
    assert any("no standard terms" in text for text in page_messages(response))
    assert not Deal.objects.exists()


def test_garbage_posts_give_form_errors_or_4xx_never_a_500(client_for, world, negotiation, on_market):
    client = client_for(world.buyer)
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
    for fields in (
        {"upfront_fee_fen": "abc"},
        {"upfront_fee_fen": "-5"},
        {"upfront_fee_fen": "1e400"},
        {"upfront_fee_fen": "99999999999999"},
        {"upfront_fee_fen": "12.345"},
        {"licence_type": "forever"},
        {"payment_mode": "royalty", "royalty_rate": ""},  # the service's rule, shown above the form
        {"royalty_rate": "150"},
        {"term_years": "-1"},
        {"territory": "x" * 500},
    ):
        response = client.post(url("propose", negotiation), offer_post(**fields))
        assert response.status_code == 400, fields
        assert response.context["offer_form"].errors, fields
    assert negotiation.offers.count() == 1
    assert client.post(url("propose", negotiation), {}).status_code == 400
    assert client.post(url("post_message", negotiation), {"body": "   "}).status_code == 400
    assert client.post(url("post_message", negotiation), {"body": "长" * 5000}).status_code == 400
    assert client.post(url("pass", negotiation), {"pass-reason": "bored"}).status_code == 400
    assert client.post(url("offer_action", negotiation, offer.pk, "explode")).status_code == 404
    assert client.post(url("offer_action", negotiation, 999_999, "accept")).status_code == 404
    assert client.get(url("propose", negotiation)).status_code == 405
    assert client.get(url("history_json", negotiation) + "?after=abc").status_code == 400
    assert client.get(reverse("negotiations:express", args=[on_market.pk])).status_code == 405
    assert client.post(reverse("negotiations:express", args=[on_market.pk]), {"express-buyer": "x"}).status_code == 302
    assert client.post(reverse("negotiations:enquire", args=[on_market.pk]), {"mode": ["a", "b"]}).status_code == 400
    assert client.get(reverse("negotiations:enquire", args=[999_999])).status_code == 404


def test_an_offer_of_another_negotiation_is_not_found_through_this_one(client_for, world, on_market, negotiation):
    other = negotiation_opened(world, on_market, "transfer")
    foreign = offer_propose(negotiation=other, actor=world.seller, terms={"price_fen": 100_000_000})
    response = client_for(world.buyer).post(action_url(negotiation, foreign, "accept"))
    assert response.status_code == 404 and not Deal.objects.exists()


def test_history_json_gives_the_messages_after_an_id(client_for, world, negotiation):
    first = negotiation.messages.get()
    message_post(negotiation=negotiation, actor=world.seller, body="第二条")
    body = client_for(world.buyer).get(url("history_json", negotiation) + f"?after={first.pk}").json()
    assert [message["body"] for message in body["messages"]] == ["第二条"]
    assert body["messages"][0]["side"] == "seller" and body["status"] == "open" and body["unread"] == 1
    seen = client_for(world.buyer).get(url("history_json", negotiation) + "?after=0&seen=1").json()
    assert len(seen["messages"]) == 2 and seen["unread"] == 0


def test_the_negotiations_list_shows_unread_counts_and_what_to_do_next(client_for, world, negotiation):
    message_post(negotiation=negotiation, actor=world.seller, body="欢迎")
    message_post(negotiation=negotiation, actor=world.seller, body="请出价")
    offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
    buyer_page = client_for(world.buyer).get(reverse("negotiations:list")).content.decode()
    row = re.search(rf'<tr id="negotiation-{negotiation.pk}">.*?</tr>', buyer_page, re.S).group(0)
    assert "3 unread" in row
    assert "The seller proposed version 1: accept, reject or counter." in row
    seller_page = client_for(world.seller).get(reverse("negotiations:list")).content.decode()
    assert "Waiting for the buyer to answer version 1." in seller_page
    assert "1 unread" in seller_page  # the buyer's enquiry


def test_ended_negotiations_are_listed_when_asked_for(client_for, world, negotiation):
    client = client_for(world.buyer)
    client.post(url("pass", negotiation), {"pass-reason": "price"})
    assert negotiation.listing.title not in client.get(reverse("negotiations:list")).content.decode()
    assert negotiation.listing.title in client.get(reverse("negotiations:list") + "?show=all").content.decode()


def test_the_workspace_shows_open_negotiations_with_unread_counts(client_for, world, negotiation):
    message_post(negotiation=negotiation, actor=world.seller, body="欢迎")
    page = client_for(world.buyer).get(reverse("portal:workspace")).content.decode()
    assert negotiation.listing.title in page and "1 unread" in page
    assert reverse("negotiations:list") in page
