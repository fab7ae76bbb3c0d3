"""Matching from the users' side: a firm sees patents that may answer its demand; a seller (and its centre's staff)
sees the firms that need its listing, nobody else does; nothing unpublished is shown to the public; an organisation is
never matched with itself; one family of near-identical listings takes one place; and new matches reach people as
they chose (off, daily digest, live), once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from demands.models import DemandStatus
from demands.services import demand_create, demand_set_status
from listings.models import ListingStatus
from listings.services import listing_set_status
from matching.models import Frequency, Match, MatchNotice
from matching.services import match_preference_set
from matching.tasks import send_match_digests
from tests.factories import ListingFactory, PatentFactory, listing_on_market

# Committed for real: refreshes and pushes wait for the commit, as on the site (the test task backend then runs the
# queued tasks at once).
pytestmark = pytest.mark.django_db(transaction=True)

CATHODE_TITLE = "高镍三元正极材料包覆改性技术"
CATHODE_SUMMARY = "一种高镍三元正极材料的包覆改性方法，高温循环1000次容量保持率达到90%，适用于动力电池正极材料量产。"


def cathode_listing(world, *, seller=None, seller_user=None, title=CATHODE_TITLE, patent=None):
    seller = seller or world.university
    patent = patent or PatentFactory(
        owners=[seller], title=title, abstract=CATHODE_SUMMARY, ipc_codes=["H01M 4/525"], main_ipc="H01M 4/525"
    )
    return listing_on_market(
        seller=seller,
        seller_user=seller_user or world.seller,
        broker=world.ningbo_broker,
        patent=patent,
        title=title,
        summary=CATHODE_SUMMARY,
        application_fields="动力电池、正极材料",
    )


def post_demand(world, *, organisation=None, actor=None, publish=True, title="电池正极高温循环衰减快"):
    organisation = organisation or world.enterprise
    actor = actor or world.buyer
    demand = demand_create(
        actor=actor,
        organisation=organisation,
        title=title,
        description="我们做锂电池正极材料，高镍产品在高温循环时容量衰减快，需要可放大的包覆或掺杂工艺。",
        field="H",
        ipc_codes="",
        deal_kinds=["licence"],
        deadline=timezone.localdate() + timedelta(days=60),
        contact_policy="open",
        city=organisation.city,
    )
    demand = demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=actor)
    if publish:
        broker = world.alliance_broker if organisation == world.enterprise else world.root_staff
        demand = demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=broker)
    return demand


def test_a_firm_sees_patents_that_may_answer_its_demand_with_reasons(world, client_for):
    listing = cathode_listing(world)
    demand = post_demand(world)
    page = client_for(world.buyer).get(demand.get_absolute_url()).content.decode()
    assert "Patents that may answer this need" in page or "可能满足这项需求的专利" in page
    assert listing.title in page and f'data-listing="{listing.pk}"' in page
    match = Match.objects.get(demand=demand, listing=listing)
    assert match.score >= 0.35 and "正极材料" in match.reasons["words"]


def test_the_public_sees_the_matches_of_a_published_demand_but_never_an_unpublished_one(world, client):
    listing = cathode_listing(world)
    demand = post_demand(world)
    assert listing.title in client.get(demand.get_absolute_url()).content.decode()
    draft = post_demand(world, publish=False, title="另一项正极材料需求")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert not Match.objects.filter(demand=draft).exists()


def test_a_listing_that_leaves_the_market_leaves_the_matches(world, client):
    listing = cathode_listing(world)
    demand = post_demand(world)
    assert Match.objects.filter(demand=demand, listing=listing).exists()
    listing_set_status(listing=listing, to_status=ListingStatus.PAUSED, actor=world.seller)
    assert not Match.objects.filter(listing=listing).exists()
    assert listing.title not in client.get(demand.get_absolute_url()).content.decode()


def test_a_seller_and_its_centre_see_the_firms_that_need_its_listing_and_nobody_else_does(world, client_for, client):
    listing = cathode_listing(world)
    demand = post_demand(world)
    for insider in (world.seller, world.ningbo_broker):
        page = client_for(insider).get(listing.get_absolute_url()).content.decode()
        assert f'data-demand="{demand.pk}"' in page, insider
    for outsider in (world.buyer, world.hangzhou_broker, world.stranger):
        page = client_for(outsider).get(listing.get_absolute_url()).content.decode()
        assert f'data-demand="{demand.pk}"' not in page, outsider
    client.logout()
    assert f'data-demand="{demand.pk}"' not in client.get(listing.get_absolute_url()).content.decode()


def test_a_listing_published_after_the_demand_finds_it_from_its_side(world):
    demand = post_demand(world)
    listing = cathode_listing(world)
    assert Match.objects.filter(demand=demand, listing=listing).exists()


def test_an_organisation_is_never_matched_with_itself(world):
    own = cathode_listing(world, seller=world.enterprise, seller_user=world.buyer)
    demand = post_demand(world)
    assert not Match.objects.filter(demand=demand, listing=own).exists()


def test_one_family_of_near_identical_listings_takes_one_place(world, client):
    first = cathode_listing(world)
    second = cathode_listing(world, title="一种高镍三元正极材料包覆改性技术及其制备方法")
    other = cathode_listing(world, title="高镍三元正极材料的掺杂改性工艺")
    demand = post_demand(world)
    page = client.get(demand.get_absolute_url()).content.decode()
    shown = [pk for pk in (first.pk, second.pk, other.pk) if f'data-listing="{pk}"' in page]
    assert len({first.pk, second.pk} & set(shown)) == 1
    assert "near-identical" in page or "同一技术" in page


def test_new_matches_reach_people_as_they_chose_and_only_once(world):
    match_preference_set(user=world.buyer, frequency=Frequency.LIVE)
    match_preference_set(user=world.seller, frequency=Frequency.DAILY)
    listing = cathode_listing(world)
    demand = post_demand(world)
    assert MatchNotice.objects.get(user=world.buyer, listing=listing).pushed_at is not None
    seller_notice = MatchNotice.objects.get(user=world.seller, demand=demand)
    assert seller_notice.mailed_at is None
    mail.outbox.clear()
    send_match_digests.enqueue()
    assert [message.to for message in mail.outbox] == [[world.seller.email]]
    assert demand.title in mail.outbox[0].body
    # The same pair found again (the demand is edited, the listing republished) is not announced again.
    from matching.services import match_demand_refresh

    match_demand_refresh(demand_id=demand.pk)
    send_match_digests.enqueue()
    assert len(mail.outbox) == 1 and MatchNotice.objects.filter(demand=demand, listing=listing).count() == 2


def test_a_person_who_turned_notices_off_gets_no_mail_and_can_change_it_on_the_account_page(world, client_for):
    client = client_for(world.seller)
    page = client.get("/accounts/me/").content.decode()
    assert 'name="frequency"' in page
    assert client.post("/matching/preference/", {"frequency": "loud"}).status_code == 400
    response = client.post("/matching/preference/", {"frequency": "off"})
    assert response.status_code == 302
    cathode_listing(world)
    post_demand(world)
    mail.outbox.clear()
    send_match_digests.enqueue()
    recipients = [address for message in mail.outbox for address in message.to]
    assert world.seller.email not in recipients and world.buyer.email in recipients  # the buyer kept the default
    assert MatchNotice.objects.get(user=world.seller).frequency == Frequency.OFF


def test_an_unmatchable_listing_draft_is_not_matched(world):
    draft = ListingFactory(seller=world.university, title=CATHODE_TITLE, summary=CATHODE_SUMMARY)
    demand = post_demand(world)
    assert not Match.objects.filter(demand=demand, listing=draft).exists()


def test_a_refresh_that_changes_no_match_leaves_the_cached_public_pages_alone(world, client):
    from marketplace.core.pagecache import page_cache_generation
    from matching.services import match_demand_refresh, match_listing_refresh

    listing = cathode_listing(world)
    demand = post_demand(world)
    client.get(demand.get_absolute_url())  # stored for the next visitor
    generation = page_cache_generation()
    match_demand_refresh(demand_id=demand.pk)
    assert page_cache_generation() == generation, "demand side"
    match_listing_refresh(listing_id=listing.pk)
    assert page_cache_generation() == generation  # the same matches: the stored pages still hold

    listing_set_status(listing=listing, to_status=ListingStatus.PAUSED, actor=world.seller)
    assert page_cache_generation() != generation  # a match went away: the demand's page must show it
