"""A university answers a firm's demand with its listings; the firm compares the answers side by side, opens a
negotiation room from one and closes the demand as solved, naming the deal. Nobody else reads the answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deals.models import Negotiation
from deals.services.negotiations import express_licence_take
from demands.answers import answered_listing_negotiate, demand_answer_create, demand_answer_withdraw
from demands.models import AnsweredListing, AnswerRole, DemandAnswer, DemandStatus
from demands.services import demand_set_status
from demands.tasks import mail_demand_answered
from indicators.models import SolvedDemand
from marketplace.background.models import OutgoingMail
from tests.demands.conftest import draft_of
from tests.factories import PatentFactory, listing_on_market, make_application_number, signatory_member

pytestmark = pytest.mark.django_db

MESSAGE = "我校两项高镍正极包覆专利已完成中试，循环1000次容量保持率92%，可独占许可。"


def university_listing(world, title: str, **fields):
    return listing_on_market(
        seller=world.university, seller_user=world.seller, broker=world.ningbo_broker, title=title, **fields
    )


@pytest.fixture
def two_listings(world):
    return (
        university_listing(world, "高镍正极材料表面包覆改性技术", asking_price_fen=80_000_000),
        university_listing(
            world,
            "单晶高镍正极一步烧结工艺",
            terms=[{"mode": "transfer", "price_fen": 150_000_000}],
            patent=PatentFactory(owners=[world.university], application_number=make_application_number(777)),
        ),
    )


def codes_of(error: ValidationError) -> set[str]:
    """The codes of a refusal, whatever the language of its messages."""
    errors = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return {item.code for group in errors for item in group}


def answer_with(client, demand, listings, message=MESSAGE):
    return client.post(
        f"/demands/{demand.pk}/answer/", {"listings": [listing.pk for listing in listings], "message": message}
    )


def test_a_university_answers_with_two_listings_and_the_firm_opens_a_room_from_one(
    world, published, two_listings, client_for
):
    coating, sintering = two_listings
    seller = client_for(world.seller)
    page = seller.get(f"/demands/{published.pk}/answer/")
    assert page.status_code == 200
    assert coating.title in page.content.decode() and sintering.title in page.content.decode()

    response = answer_with(seller, published, [coating, sintering])
    assert response.status_code == 302 and response["Location"] == f"/demands/{published.pk}/answers/"
    answer = DemandAnswer.objects.get()
    assert answer.organisation == world.university and answer.answered_as == AnswerRole.MEMBER
    assert answer.answered_by == world.seller and answer.message == MESSAGE
    assert sorted(answer.answered_listings.values_list("listing_id", flat=True)) == [coating.pk, sintering.pk]

    firm = client_for(world.buyer)
    demand_page = firm.get(f"/demands/{published.pk}/").content.decode()
    assert f"/demands/{published.pk}/answers/" in demand_page  # the demand's page leads to the comparison
    comparison = firm.get(f"/demands/{published.pk}/answers/")
    text = comparison.content.decode()
    assert comparison.status_code == 200
    # Side by side: both listings with their patents, modes, prices, seller, seller type, city and the message.
    for expected in (
        coating.title,
        sintering.title,
        sintering.patents.get().display_number,
        "80万元",
        world.university.name,
        world.university.get_kind_display(),
        world.university.get_city_display(),
        MESSAGE,
    ):
        assert str(expected) in text, expected
    assert text.index(coating.title) < text.index(sintering.title)

    sintering_row = AnsweredListing.objects.get(listing=sintering)
    response = firm.post(f"/demands/answers/{sintering_row.pk}/negotiate/", {"mode": "transfer"})
    negotiation = Negotiation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/deals/negotiations/{negotiation.pk}/"
    assert negotiation.listing == sintering and negotiation.mode == "transfer"
    assert negotiation.buyer == world.enterprise and negotiation.opened_by == world.buyer
    sintering_row.refresh_from_db()
    assert sintering_row.negotiation == negotiation  # which negotiation came from which answer
    room = firm.get(f"/deals/negotiations/{negotiation.pk}/").content.decode()
    assert sintering.title in room and published.title in room  # the existing room, naming the listing

    # Asking again returns to the same room rather than opening a second one.
    again = firm.post(f"/demands/answers/{sintering_row.pk}/negotiate/", {"mode": "transfer"})
    assert again["Location"] == f"/deals/negotiations/{negotiation.pk}/" and Negotiation.objects.count() == 1
    assert f"/deals/negotiations/{negotiation.pk}/" in firm.get(f"/demands/{published.pk}/answers/").content.decode()


def test_the_firm_hears_of_an_answer_by_mail_through_the_task_runner(world, published, two_listings):
    answer = demand_answer_create(demand=published, actor=world.seller, listings=two_listings, message=MESSAGE)
    sent = mail_demand_answered.call(answer_id=answer.pk)
    assert sent == 1
    mail = OutgoingMail.objects.latest("pk")
    assert world.buyer.email in mail.to and published.title in mail.subject
    assert two_listings[0].title in mail.body and f"/demands/{published.pk}/answers/" in mail.body


def test_a_firm_cannot_answer_its_own_demand(world, published, client_for):
    own = listing_on_market(
        seller=world.enterprise, seller_user=world.buyer, broker=world.alliance_broker, title="我司自有电池专利"
    )
    with pytest.raises(ValidationError) as refused:
        demand_answer_create(demand=published, actor=world.buyer, listings=[own], message=MESSAGE)
    assert codes_of(refused.value) == {"own_demand"}
    client = client_for(world.buyer)
    page = client.get(f"/demands/{published.pk}/answer/").content.decode()
    assert 'role="alert"' in page and own.title not in page
    response = answer_with(client, published, [own])
    assert response.status_code == 400 and DemandAnswer.objects.count() == 0


def test_a_seller_cannot_answer_with_another_organisations_listing(world, published, client_for):
    theirs = listing_on_market(
        seller=world.other_enterprise, seller_user=world.outsider, broker=world.hangzhou_broker, title="别家的专利"
    )
    with pytest.raises(PermissionDenied):
        demand_answer_create(demand=published, actor=world.seller, listings=[theirs], message=MESSAGE)
    response = answer_with(client_for(world.seller), published, [theirs])
    assert response.status_code == 400
    assert response.context["form"].errors["listings"]
    assert DemandAnswer.objects.count() == 0 and AnsweredListing.objects.count() == 0


def test_a_listing_answers_a_demand_once_and_a_second_answer_is_a_form_error(
    world, published, two_listings, client_for
):
    coating, sintering = two_listings
    client = client_for(world.seller)
    answer_with(client, published, [coating])
    response = answer_with(client, published, [coating, sintering], message="再次推荐")
    assert response.status_code == 400
    assert coating.title in response.context["form"].errors["listings"][0]
    assert DemandAnswer.objects.count() == 1 and AnsweredListing.objects.count() == 1  # nothing of the second

    # Withdrawn, the listing may answer again.
    demand_answer_withdraw(answer=DemandAnswer.objects.get(), actor=world.seller)
    assert answer_with(client, published, [coating]).status_code == 302
    assert DemandAnswer.objects.count() == 2


def test_bad_answers_are_form_errors_and_save_nothing(world, published, two_listings, client_for):
    client = client_for(world.seller)
    no_listing = answer_with(client, published, [])
    assert no_listing.status_code == 400 and no_listing.context["form"].errors["listings"]
    no_message = answer_with(client, published, [two_listings[0]], message="   ")
    assert no_message.status_code == 400 and no_message.context["form"].errors["message"]
    assert DemandAnswer.objects.count() == 0


def test_only_a_published_demand_takes_answers(world, two_listings, client_for):
    draft = draft_of(world, title="尚未发布的需求")
    assert client_for(world.seller).get(f"/demands/{draft.pk}/answer/").status_code == 404
    with pytest.raises(ValidationError) as refused:
        demand_answer_create(demand=draft, actor=world.seller, listings=[two_listings[0]], message=MESSAGE)
    assert codes_of(refused.value) == {"not_published"}


def test_a_broker_answers_for_a_seller_its_centre_hosts_but_not_for_others(world, published, two_listings):
    answer = demand_answer_create(
        demand=published, actor=world.ningbo_broker, listings=[two_listings[0]], message=MESSAGE
    )
    assert answer.organisation == world.university and answer.answered_as == AnswerRole.BROKER
    with pytest.raises(PermissionDenied):  # Hangzhou hosts neither the university nor its listings
        demand_answer_create(demand=published, actor=world.hangzhou_broker, listings=[two_listings[1]], message=MESSAGE)


def test_the_public_never_sees_answers(world, published, two_listings, client, client_for):
    demand_answer_create(demand=published, actor=world.seller, listings=two_listings, message=MESSAGE)
    public_page = client.get(f"/demands/{published.pk}/").content.decode()
    assert MESSAGE not in public_page and f"/demands/{published.pk}/answers/" not in public_page
    assert client.get(f"/demands/{published.pk}/answers/").status_code == 302  # to the sign-in page
    for stranger in (world.outsider, world.hangzhou_broker, world.stranger):
        assert client_for(stranger).get(f"/demands/{published.pk}/answers/").status_code == 404
    for party in (world.buyer, world.seller, world.alliance_broker, world.root_staff):
        page = client_for(party).get(f"/demands/{published.pk}/answers/")
        assert page.status_code == 200 and MESSAGE in page.content.decode()


def test_only_the_demands_organisation_opens_rooms_from_its_answers(world, published, two_listings, client_for):
    demand_answer_create(demand=published, actor=world.seller, listings=two_listings, message=MESSAGE)
    row = AnsweredListing.objects.get(listing=two_listings[0])
    with pytest.raises(PermissionDenied):
        answered_listing_negotiate(answered=row, mode="licence", actor=world.seller)
    assert (
        client_for(world.outsider).post(f"/demands/answers/{row.pk}/negotiate/", {"mode": "licence"}).status_code == 404
    )
    with pytest.raises(ValidationError) as refused:
        answered_listing_negotiate(answered=row, mode="equity", actor=world.buyer)
    assert codes_of(refused.value) == {"mode"}
    assert Negotiation.objects.count() == 0


def test_the_firm_closes_its_demand_as_solved_naming_its_deal(world, published, client_for):
    listing = university_listing(world, "快速授权普通许可专利", licence={"express_ordinary": True})
    deal = express_licence_take(listing=listing, actor=world.buyer, buyer=world.enterprise)
    client = client_for(world.buyer)
    assert f'value="{deal.pk}"' in client.get(f"/demands/workspace/{published.pk}/").content.decode()
    client.post(
        f"/demands/workspace/{published.pk}/status/",
        {"to_status": "closed", "close_reason": "solved", "deal": deal.pk},
    )
    published.refresh_from_db()
    assert published.status == DemandStatus.CLOSED and published.close_reason == "solved"
    assert published.solved_by_deal == deal
    booking = SolvedDemand.objects.get()
    assert booking.demand_id == published.pk and booking.deal == deal and booking.centre == world.ningbo_alliance


def test_a_demand_cannot_be_closed_as_solved_by_someone_elses_deal(world, published, client_for):
    listing = university_listing(world, "他人购买的专利", licence={"express_ordinary": True})
    other_buyer = signatory_member(world.other_enterprise)
    deal = express_licence_take(listing=listing, actor=other_buyer, buyer=world.other_enterprise)
    with pytest.raises(ValidationError) as refused:
        demand_set_status(
            demand=published, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="solved", deal=deal
        )
    assert codes_of(refused.value) == {"not_own_deal"}
    response = client_for(world.buyer).post(
        f"/demands/workspace/{published.pk}/status/",
        {"to_status": "closed", "close_reason": "solved", "deal": deal.pk},
        follow=True,
    )
    assert str(refused.value.messages[0]) in response.content.decode()
    published.refresh_from_db()
    assert published.status == DemandStatus.PUBLISHED and published.solved_by_deal is None
    assert SolvedDemand.objects.count() == 0
    with pytest.raises(ValidationError):  # a deal names a solution, not a withdrawal
        demand_set_status(
            demand=published, to_status=DemandStatus.CLOSED, actor=world.buyer, close_reason="withdrawn", deal=deal
        )


def test_the_workspace_lists_new_answers_for_the_firm_and_counts_the_sellers_answers(
    world, published, two_listings, client_for
):
    demand_answer_create(demand=published, actor=world.seller, listings=two_listings, message=MESSAGE)
    firm = client_for(world.buyer).get("/workspace/").content.decode()
    assert f"/demands/{published.pk}/answers/" in firm and world.university.name in firm
    panels = dict(client_for(world.seller).get("/workspace/").context["panels"])
    assert panels["demands/workspace/_panel.html"]["answers_given_count"] == 1
