"""Who may bind an organisation in a negotiation and a deal: only its verified signatories accept terms, take an
express licence and sign the contract; its other members prepare (enquire, write, propose) and are told, on the
page and when they try, whom to ask. Who accepted and who signed for each side is recorded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from deals.deal_workspace import deals_needing_action
from deals.models import Deal, DealStatus, Negotiation, OfferStatus
from deals.services.deals import deal_sign
from deals.services.negotiations import express_licence_take, offer_accept, offer_propose
from marketplace.organisations.services import signatory_nominate, signatory_revoke, signatory_verify
from tests.deals.factories import ORDINARY_LICENCE_TERMS, deal_agreed, deal_signed, negotiation_opened
from tests.factories import AUTHORISATION_LETTER, MembershipFactory, UserFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """The site speaks Chinese by default; these tests read the English source text, in pages and refusals."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def clerk(world):
    """A plain member of the buyer (宁波甬新材料), who prepares but does not sign."""
    return MembershipFactory(organisation=world.enterprise, user=UserFactory(display_name="采购专员 钱多")).user


def room_url(negotiation) -> str:
    return f"/deals/negotiations/{negotiation.pk}/"


def accept_url(negotiation, offer) -> str:
    return f"/deals/negotiations/{negotiation.pk}/offers/{offer.pk}/accept/"


def nominate(world, person):
    letter = SimpleUploadedFile("授权委托书.pdf", AUTHORISATION_LETTER, content_type="application/pdf")
    return signatory_nominate(
        organisation=world.enterprise, actor=world.buyer, user=person, capacity="authorised", letter=letter
    )


def test_a_plain_member_prepares_but_cannot_accept_and_the_room_says_whom_to_ask(client, world, on_market, clerk):
    negotiation = negotiation_opened(world, on_market, buyer_user=clerk, message="我们想了解许可条件")
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=ORDINARY_LICENCE_TERMS)
    sign_in(client, clerk)
    page = client.get(room_url(negotiation)).content.decode()
    assert "You are not a signatory: you cannot accept this version for your organisation." in page
    assert f"Ask {world.buyer}." in page
    assert "Accept version 1" not in page

    page = client.post(accept_url(negotiation, offer), follow=True).content.decode()
    assert "Only a verified signatory of 宁波甬新材料科技有限公司 may accept binding terms on its behalf." in page
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PROPOSED and offer.buyer_accepted_at is None
    assert not Deal.objects.exists()


def test_a_version_proposed_by_a_plain_member_waits_for_a_signatory_of_its_own_side(client, world, on_market, clerk):
    negotiation = negotiation_opened(world, on_market, buyer_user=clerk)
    offer = offer_propose(negotiation=negotiation, actor=clerk, terms=ORDINARY_LICENCE_TERMS)
    assert offer.buyer_accepted_at is None and offer.buyer_accepted_by is None

    # The seller's signatory accepts: that binds the seller, but the buyer has not accepted yet.
    assert offer_accept(offer=offer, actor=world.seller) is None
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PROPOSED and offer.seller_accepted_by == world.seller
    assert "accepted for the seller by" in negotiation.messages.last().body

    sign_in(client, world.buyer)
    page = client.get(room_url(negotiation)).content.decode()
    assert "a signatory of your side must accept it" in page and "Accept version 1" in page
    response = client.post(accept_url(negotiation, offer))
    deal = Deal.objects.get(negotiation=negotiation)
    assert response["Location"] == f"/deals/{deal.pk}/"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.buyer_accepted_by == world.buyer


def test_a_version_proposed_by_a_signatory_is_its_sides_acceptance(world, on_market):
    negotiation = negotiation_opened(world, on_market)
    offer = offer_propose(negotiation=negotiation, actor=world.buyer, terms=ORDINARY_LICENCE_TERMS)
    assert offer.buyer_accepted_by == world.buyer and offer.buyer_accepted_at is not None
    deal = offer_accept(offer=offer, actor=world.seller)
    assert deal.status == DealStatus.AGREED


def test_a_plain_member_cannot_take_an_express_licence(client, world, on_market, clerk):
    sign_in(client, clerk)
    page = client.post(
        f"/deals/negotiations/express/{on_market.pk}/", {"express-buyer": world.enterprise.pk}, follow=True
    ).content.decode()
    assert "may accept binding terms on its behalf" in page and f"Ask {world.buyer}." in page
    assert not Negotiation.objects.exists() and not Deal.objects.exists()


def test_an_express_licence_records_the_buyers_signatory_and_the_sellers_standing_terms(world, on_market):
    deal = express_licence_take(listing=on_market, actor=world.buyer, buyer=world.enterprise)
    assert deal.offer.buyer_accepted_by == world.buyer
    assert deal.offer.seller_accepted_at is not None and deal.offer.seller_accepted_by is None


def test_a_plain_member_cannot_sign_and_the_deal_page_says_whom_to_ask(client, world, on_market, clerk):
    deal = deal_agreed(world, on_market)
    sign_in(client, clerk)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert "You are not a signatory: you cannot sign this contract for your organisation." in page
    assert f"Ask {world.buyer}." in page and "Sign the contract</button>" not in page

    page = client.post(f"/deals/{deal.pk}/sign/", {"sign-confirm": "on"}, follow=True).content.decode()
    assert "Only a verified signatory of 宁波甬新材料科技有限公司 may sign contracts on its behalf." in page
    deal.refresh_from_db()
    assert deal.buyer_signed_at is None and deal.buyer_signed_by is None


def test_a_nominated_signatory_cannot_sign_until_a_broker_verifies_them(world, on_market, clerk):
    deal = deal_agreed(world, on_market)
    signatory = nominate(world, clerk)
    with pytest.raises(PermissionDenied, match="awaits verification by its operation centre"):
        deal_sign(deal=deal, actor=clerk)
    signatory_verify(signatory=signatory, actor=world.ningbo_broker)
    deal = deal_sign(deal=deal, actor=clerk)
    assert deal.buyer_signed_by == clerk


def test_a_revoked_signatory_can_no_longer_accept(world, on_market, clerk):
    signatory = nominate(world, clerk)
    signatory_verify(signatory=signatory, actor=world.ningbo_broker)
    negotiation = negotiation_opened(world, on_market, buyer_user=clerk)
    offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=ORDINARY_LICENCE_TERMS)
    signatory_revoke(signatory=signatory, actor=world.buyer, reason="调岗")
    with pytest.raises(PermissionDenied, match="may accept binding terms"):
        offer_accept(offer=offer, actor=clerk)
    assert offer_accept(offer=offer, actor=world.buyer) is not None  # the remaining signatory still may


def test_the_signer_of_each_side_is_recorded_and_shown_on_the_deal_and_in_the_contract(client, world, on_market):
    deal = deal_signed(world, on_market)
    assert deal.status == DealStatus.CONTRACT_SIGNED
    assert (deal.buyer_signed_by, deal.seller_signed_by) == (world.buyer, world.seller)
    sign_in(client, world.ningbo_broker)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert f"by {world.seller}" in page and f"by {world.buyer}" in page
    contract = client.get(f"/deals/{deal.pk}/contract/").content.decode()
    assert f"by {world.seller}" in contract and f"by {world.buyer}" in contract


def test_a_broker_still_cannot_sign_for_a_party(client, world, on_market):
    deal = deal_agreed(world, on_market)
    sign_in(client, world.ningbo_broker)
    assert client.post(f"/deals/{deal.pk}/sign/", {"sign-confirm": "on"}).status_code == 403


def test_a_plain_member_cannot_cancel_an_agreed_deal_and_the_form_says_whom_to_ask(client, world, on_market, clerk):
    deal = deal_agreed(world, on_market)
    sign_in(client, clerk)
    response = client.post(f"/deals/{deal.pk}/cancel/", {"cancel-reason": "预算取消"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "may cancel a deal on its behalf" in page and f"Ask {world.buyer}." in page
    deal.refresh_from_db()
    assert deal.status == DealStatus.AGREED
    sign_in(client, world.buyer)
    client.post(f"/deals/{deal.pk}/cancel/", {"cancel-reason": "预算取消"})
    deal.refresh_from_db()
    assert deal.status == DealStatus.CANCELLED


def test_the_workspace_asks_the_signatory_to_sign_not_the_plain_member(world, on_market, clerk):
    deal = deal_agreed(world, on_market)
    assert [row[0] for row in deals_needing_action(world.buyer)] == [deal]
    assert deals_needing_action(clerk) == []
