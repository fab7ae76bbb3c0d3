import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deals.models import DealStatus, NegotiationStatus, OfferStatus, PassReason
from deals.selectors import pass_reasons_for, unread_count
from deals.services.deals import deal_cancel, deal_mark_settled, deal_register, deal_sign
from deals.services.negotiations import (
    express_licence_take,
    mark_read,
    message_post,
    negotiation_open,
    negotiation_pass,
    offer_accept,
    offer_propose,
    offer_reject,
    offer_withdraw,
)
from deals.services.status import negotiation_set_status, offer_set_status
from deals.signals import deal_completed, deal_reversed, negotiation_status_changed, offer_status_changed
from listings.models import ListingStatus
from tests.deals.factories import (
    LICENCE_TERMS,
    deal_agreed,
    negotiation_opened,
    register_contract,
    sign_contract,
)
from tests.factories import MembershipFactory, OrganisationFactory, signatory_member

pytestmark = pytest.mark.django_db


def test_an_enquiry_opens_a_negotiation_with_a_broker_of_the_hosting_centre(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    assert negotiation.status == NegotiationStatus.OPEN
    assert negotiation.broker == world.ningbo_broker
    assert negotiation.messages.count() == 1


def test_enquiring_twice_returns_the_same_open_negotiation(world, on_market):
    assert negotiation_opened(world, on_market) == negotiation_opened(world, on_market)


def test_a_seller_cannot_enquire_on_its_own_listing(world, on_market):
    with pytest.raises(ValidationError):
        negotiation_open(listing=on_market, mode="licence", actor=world.seller, buyer=world.university)


def test_an_enquiry_for_an_organisation_one_does_not_belong_to_is_refused(world, on_market):
    with pytest.raises(PermissionDenied):
        negotiation_open(listing=on_market, mode="licence", actor=world.buyer, buyer=world.other_enterprise)


def test_outsiders_cannot_post_in_a_negotiation(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    for outsider in (world.outsider, world.hangzhou_broker, world.stranger):
        with pytest.raises(PermissionDenied):
            message_post(negotiation=negotiation, actor=outsider, body="你好")


def test_participants_and_root_staff_may_post(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    for person in (world.buyer, world.seller, world.ningbo_broker, world.root_staff):
        message_post(negotiation=negotiation, actor=person, body="可以谈")
    assert negotiation.messages.count() == 5


def test_counter_offers_are_versions_and_a_deal_needs_both_sides_on_the_same_version(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    first = offer_propose(negotiation=negotiation, actor=world.buyer, terms=LICENCE_TERMS)
    second = offer_propose(
        negotiation=negotiation, actor=world.seller, terms={**LICENCE_TERMS, "upfront_fee_fen": 80_000_000}
    )
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.status == OfferStatus.SUPERSEDED
    with pytest.raises(ValidationError):
        offer_accept(offer=first, actor=world.seller)
    with pytest.raises(ValidationError):
        offer_accept(offer=second, actor=world.seller)  # one's own side cannot accept
    deal = offer_accept(offer=second, actor=world.buyer)
    assert deal.offer == second and deal.status == DealStatus.AGREED
    negotiation.refresh_from_db()
    assert negotiation.status == NegotiationStatus.AGREED


def test_reject_and_withdraw(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    offer = offer_propose(negotiation=negotiation, actor=world.buyer, terms=LICENCE_TERMS)
    with pytest.raises(ValidationError):
        offer_withdraw(offer=offer, actor=world.seller)
    offer_reject(offer=offer, actor=world.seller, reason="价格太低")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.REJECTED
    again = offer_propose(negotiation=negotiation, actor=world.buyer, terms=LICENCE_TERMS)
    offer_withdraw(offer=again, actor=world.buyer)
    again.refresh_from_db()
    assert again.status == OfferStatus.WITHDRAWN


def test_a_negotiation_and_its_offers_move_only_through_their_tables_and_announce_every_move(world, on_market):
    moves = []

    def heard(sender, from_status, to_status, **kwargs):
        moves.append((sender.__name__, from_status, to_status))

    negotiation_status_changed.connect(heard, weak=False, dispatch_uid="test-negotiation-moves")
    offer_status_changed.connect(heard, weak=False, dispatch_uid="test-offer-moves")
    try:
        negotiation = negotiation_opened(world, on_market)
        first = offer_propose(negotiation=negotiation, actor=world.buyer, terms=LICENCE_TERMS)
        offer_propose(negotiation=negotiation, actor=world.seller, terms=LICENCE_TERMS)
        negotiation_pass(negotiation=negotiation, actor=world.buyer, reason=PassReason.PRICE)
        with pytest.raises(ValidationError) as reopened:
            negotiation_set_status(
                negotiation=negotiation, to_status=NegotiationStatus.OPEN, actor=world.buyer, side="buyer", event="…"
            )
        first.refresh_from_db()
        with pytest.raises(ValidationError) as revived:
            offer_set_status(offer=first, to_status=OfferStatus.ACCEPTED)
    finally:
        negotiation_status_changed.disconnect(dispatch_uid="test-negotiation-moves")
        offer_status_changed.disconnect(dispatch_uid="test-offer-moves")
    assert reopened.value.code == revived.value.code == "invalid_transition"
    assert moves == [
        ("Offer", "proposed", "superseded"),  # the seller's counter-offer replaces the buyer's version
        ("Offer", "proposed", "withdrawn"),  # what was left on the table goes with the negotiation
        ("Negotiation", "open", "passed"),
    ]
    negotiation.refresh_from_db()
    assert negotiation.status == NegotiationStatus.PASSED and negotiation.pass_reason == PassReason.PRICE
    assert negotiation.messages.last().kind == "event"  # the move is in the room's history


def test_bad_terms_get_a_reason(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    for terms in (
        {**LICENCE_TERMS, "licence_type": "forever"},
        {**LICENCE_TERMS, "payment_mode": "royalty", "royalty_rate": None},
        {**LICENCE_TERMS, "upfront_fee_fen": -5},
        {**LICENCE_TERMS, "colour": "red"},
    ):
        with pytest.raises(ValidationError):
            offer_propose(negotiation=negotiation, actor=world.buyer, terms=terms)


def test_an_exclusive_licence_closes_the_mode_and_tells_competing_negotiations(world, on_market):
    rival_org = OrganisationFactory(name="宁波另一家公司", centre=world.ningbo)
    rival = MembershipFactory(organisation=rival_org).user
    ours = negotiation_opened(world, on_market)
    theirs = negotiation_opened(world, on_market, buyer_user=rival, buyer=rival_org)
    offer = offer_propose(negotiation=ours, actor=world.seller, terms=LICENCE_TERMS)
    offer_accept(offer=offer, actor=world.buyer)
    theirs.refresh_from_db()
    assert theirs.status == NegotiationStatus.SUPERSEDED
    assert "no longer available" in theirs.messages.last().body or theirs.messages.last().kind == "event"
    assert not on_market.terms.get(mode="licence").is_open
    with pytest.raises(ValidationError):
        negotiation_open(listing=on_market, mode="licence", actor=rival, buyer=rival_org)


def test_ordinary_licences_close_many_times(world, on_market):
    rival_org = OrganisationFactory(name="宁波另一家公司", centre=world.ningbo)
    rival = signatory_member(rival_org)
    terms = {**LICENCE_TERMS, "licence_type": "ordinary"}
    for user, org in ((world.buyer, world.enterprise), (rival, rival_org)):
        negotiation = negotiation_opened(world, on_market, buyer_user=user, buyer=org)
        offer_accept(offer=offer_propose(negotiation=negotiation, actor=world.seller, terms=terms), actor=user)
    assert on_market.deals.count() == 2
    assert on_market.terms.get(mode="licence").is_open


def test_a_transfer_takes_the_listing_off_the_market(world, on_market):
    negotiation = negotiation_open(listing=on_market, mode="transfer", actor=world.buyer, buyer=world.enterprise)
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms={"price_fen": 180_000_000})
    offer_accept(offer=offer, actor=world.buyer)
    on_market.refresh_from_db()
    assert on_market.status == ListingStatus.CLOSED and on_market.close_reason == "transferred"


def test_express_licence_gives_a_deal_in_one_step(world, on_market):
    deal = express_licence_take(listing=on_market, actor=world.buyer, buyer=world.enterprise)
    assert deal.licence_type == "ordinary" and deal.offer.upfront_fee_fen == 10_000_000
    assert deal.status == DealStatus.AGREED


def test_why_we_passed_is_seen_in_aggregate_by_the_seller_and_the_centre(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    with pytest.raises(ValidationError):
        negotiation_pass(negotiation=negotiation, actor=world.buyer, reason="other")
    with pytest.raises(PermissionDenied):
        negotiation_pass(negotiation=negotiation, actor=world.seller, reason="price")
    negotiation_pass(negotiation=negotiation, actor=world.buyer, reason=PassReason.PRICE)
    expected = [{"pass_reason": "price", "count": 1}]
    assert pass_reasons_for(world.seller) == expected
    assert pass_reasons_for(world.ningbo_broker) == expected
    assert pass_reasons_for(world.hangzhou_broker) == []


def test_unread_counts_follow_what_each_person_has_read(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    message_post(negotiation=negotiation, actor=world.seller, body="欢迎")
    assert unread_count(negotiation, world.buyer) == 1
    assert unread_count(negotiation, world.seller) == 1  # the buyer's enquiry
    mark_read(negotiation=negotiation, user=world.buyer)
    assert unread_count(negotiation, world.buyer) == 0


def test_a_deal_goes_from_agreed_to_completed_and_announces_it_once(world, on_market):
    completed = []
    deal_completed.connect(lambda sender, deal, **kw: completed.append(deal.pk), weak=False, dispatch_uid="dc")
    try:
        deal = deal_agreed(world, on_market)
        with pytest.raises(ValidationError):
            register_contract(world, deal, broker=world.ningbo_broker)  # not signed yet
        deal_sign(deal=deal, actor=world.buyer)
        deal.refresh_from_db()
        assert deal.status == DealStatus.AGREED
        deal_sign(deal=deal, actor=world.seller)
        deal.refresh_from_db()
        assert deal.status == DealStatus.CONTRACT_SIGNED
        with pytest.raises(PermissionDenied):
            register_contract(world, deal, broker=world.hangzhou_broker)
        register_contract(world, deal, broker=world.ningbo_broker)
        deal.refresh_from_db()
        assert deal.status == DealStatus.REGISTERED
        deal_mark_settled(deal=deal)
        deal_mark_settled(deal=deal)  # a repeated report changes nothing
        deal.refresh_from_db()
        assert deal.status == DealStatus.COMPLETED
    finally:
        deal_completed.disconnect(dispatch_uid="dc")
    assert completed == [deal.pk]
    assert list(deal.events.values_list("to_status", flat=True)) == [
        "agreed",
        "contract_signed",
        "registered",
        "completed",
    ]


def test_settlement_before_registration_also_completes(world, on_market):
    deal = sign_contract(world, deal_agreed(world, on_market))
    deal_mark_settled(deal=deal)
    deal.refresh_from_db()
    assert deal.status == DealStatus.SETTLED
    register_contract(world, deal, broker=world.ningbo_broker)
    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED


def test_a_registration_whose_technology_amount_exceeds_the_total_is_refused(world, on_market):
    from datetime import date

    deal = sign_contract(world, deal_agreed(world, on_market))
    with pytest.raises(ValidationError):
        deal_register(
            deal=deal,
            actor=world.ningbo_broker,
            number="X-1",
            registered_on=date(2026, 11, 20),
            contract_type="licensing",
            contract_total_fen=100,
            technology_amount_fen=200,
        )


def test_cancelling_a_completed_deal_reverses_it_and_reopens_the_mode(world, on_market):
    reversed_deals = []
    deal_reversed.connect(lambda sender, deal, **kw: reversed_deals.append(deal.pk), weak=False, dispatch_uid="dr")
    try:
        deal = sign_contract(world, deal_agreed(world, on_market))
        register_contract(world, deal, broker=world.ningbo_broker)
        deal_mark_settled(deal=deal)
        with pytest.raises(PermissionDenied):
            deal_cancel(deal=deal, actor=world.buyer, reason="想反悔")
        deal_cancel(deal=deal, actor=world.ningbo_broker, reason="合同解除")
    finally:
        deal_reversed.disconnect(dispatch_uid="dr")
    assert reversed_deals == [deal.pk]
    assert on_market.terms.get(mode="licence").is_open
    assert not deal.exclusive_claims.filter(active=True).exists()


def test_a_cancelled_deal_cannot_come_back(world, on_market):
    deal = deal_agreed(world, on_market)
    deal_cancel(deal=deal, actor=world.buyer, reason="改变计划")
    with pytest.raises(ValidationError):
        deal_sign(deal=deal, actor=world.buyer)


def test_an_offer_that_leaves_optional_text_terms_out_is_accepted(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    terms = {"licence_type": "ordinary", "upfront_fee_fen": 1_000_000, "payment_mode": "fixed"}
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=terms)
    assert offer.field_of_use == "" and offer.territory == ""
