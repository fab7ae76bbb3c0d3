"""The listing state machine and moderation, from the seller's and the broker's side."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from listings.models import EncumbranceKind, Listing, ListingEvent, ListingStatus, PatentEncumbrance
from listings.services import TRANSITIONS, listing_set_status
from listings.signals import listing_closed, listing_published
from tests.factories import ListingFactory, PatentFactory, listing_publish

pytestmark = pytest.mark.django_db
S = ListingStatus


@pytest.fixture
def draft(world):
    return ListingFactory(seller=world.university)


@pytest.fixture
def published(world, draft):
    return listing_publish(draft, seller_user=world.seller, broker=world.ningbo_broker)


def move(listing, to, actor, **kwargs):
    return listing_set_status(listing=listing, to_status=to, actor=actor, **kwargs)


def test_a_seller_submits_a_draft_and_the_review_is_run(world, draft):
    listing = move(draft, S.SUBMITTED, world.seller)
    assert listing.status == S.SUBMITTED
    assert listing.review["overall"] == "pass"
    checks = {finding["check"] for finding in listing.review["findings"]}
    assert checks == {"applicant", "legal_status", "remaining_term", "conflicts", "pledge"}


def test_the_hosting_broker_publishes_and_listeners_hear_it(world, draft):
    heard = []
    listing_published.connect(lambda sender, listing, **kw: heard.append(listing.pk), weak=False, dispatch_uid="t1")
    try:
        move(draft, S.SUBMITTED, world.seller)
        listing = move(draft, S.PUBLISHED, world.ningbo_broker)
    finally:
        listing_published.disconnect(dispatch_uid="t1")
    assert listing.status == S.PUBLISHED and listing.published_at is not None
    assert heard == [draft.pk]


def test_every_move_leaves_an_audit_event_with_its_actor(world, published):
    move(published, S.PAUSED, world.seller)
    trail = list(ListingEvent.objects.filter(listing=published).values_list("from_status", "to_status", "actor"))
    assert trail == [
        ("draft", "submitted", world.seller.id),
        ("submitted", "published", world.ningbo_broker.id),
        ("published", "paused", world.seller.id),
    ]


def test_a_seller_cannot_publish_their_own_listing(world, draft):
    move(draft, S.SUBMITTED, world.seller)
    with pytest.raises(PermissionDenied):
        move(draft, S.PUBLISHED, world.seller)


def test_a_broker_of_another_centre_cannot_publish(world, draft):
    move(draft, S.SUBMITTED, world.seller)
    with pytest.raises(PermissionDenied):
        move(draft, S.PUBLISHED, world.hangzhou_broker)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_root_staff_may_publish_anything(world, draft):
    move(draft, S.SUBMITTED, world.seller)
    assert move(draft, S.PUBLISHED, world.root_staff).status == S.PUBLISHED


def test_a_broker_returns_a_listing_only_with_feedback(world, draft):
    move(draft, S.SUBMITTED, world.seller)
    with pytest.raises(ValidationError):
        move(draft, S.DRAFT, world.ningbo_broker)
    listing = move(draft, S.DRAFT, world.ningbo_broker, note="请补充效益数据")
    assert listing.status == S.DRAFT and listing.moderation_note == "请补充效益数据"


def test_paused_and_resumed_listings_tell_the_listeners(world, published):
    closed = []
    listing_closed.connect(lambda sender, listing, status, **kw: closed.append(status), weak=False, dispatch_uid="t2")
    try:
        move(published, S.PAUSED, world.seller)
        move(published, S.PUBLISHED, world.seller)
        move(published, S.CLOSED, world.ningbo_broker, close_reason="transferred")
    finally:
        listing_closed.disconnect(dispatch_uid="t2")
    assert closed == [S.PAUSED, S.CLOSED]


def test_closing_needs_a_reason(world, published):
    with pytest.raises(ValidationError):
        move(published, S.CLOSED, world.seller)
    assert move(published, S.CLOSED, world.seller, close_reason="exclusively_licensed").close_reason


ALL_STATES = list(S.values)


@pytest.mark.parametrize("from_status", ALL_STATES)
@pytest.mark.parametrize("to_status", ALL_STATES)
def test_every_move_outside_the_table_is_refused_for_everyone(world, from_status, to_status):
    if (from_status, to_status) in TRANSITIONS:
        return
    listing = ListingFactory(seller=world.university)
    Listing.objects.filter(pk=listing.pk).update(status=from_status)
    for actor in (world.seller, world.root_staff, None):
        with pytest.raises(ValidationError):
            move(listing, to_status, actor, close_reason="transferred", note="x")
    listing.refresh_from_db()
    assert listing.status == from_status


@pytest.mark.parametrize(("from_status", "to_status"), sorted(TRANSITIONS))
def test_every_move_in_the_table_succeeds_for_an_allowed_actor(world, from_status, to_status):
    listing = ListingFactory(seller=world.university)
    if from_status != S.DRAFT:
        listing.review = {"overall": "pass", "findings": []}
        listing.save()
        Listing.objects.filter(pk=listing.pk).update(status=from_status)
    who = TRANSITIONS[(from_status, to_status)]
    actor = world.seller if "seller" in who else world.ningbo_broker if "broker" in who else None
    result = move(listing, to_status, actor, close_reason="transferred", note="请修改")
    assert result.status == to_status


def test_only_the_platform_expires_a_listing(world, published):
    with pytest.raises(PermissionDenied):
        move(published, S.EXPIRED, world.root_staff)


def test_submitting_needs_a_patent_and_a_mode(world):
    listing = ListingFactory(seller=world.university, with_patent=False)
    with pytest.raises(ValidationError):
        move(listing, S.SUBMITTED, world.seller)


def test_the_review_fails_when_the_seller_is_not_an_applicant(world):
    stranger_patent = PatentFactory(owners=[world.other_enterprise])
    listing = ListingFactory(seller=world.university, with_patent=stranger_patent)
    move(listing, S.SUBMITTED, world.seller)
    listing.refresh_from_db()
    assert listing.review["overall"] == "fail"
    with pytest.raises(ValidationError):
        move(listing, S.PUBLISHED, world.ningbo_broker)


def test_a_pledged_patent_cannot_be_published(world, draft):
    PatentEncumbrance.objects.create(patent=draft.patents.get(), kind=EncumbranceKind.PLEDGE, counterparty="浙商银行")
    move(draft, S.SUBMITTED, world.seller)
    with pytest.raises(ValidationError):
        move(draft, S.PUBLISHED, world.ningbo_broker)


def test_a_registered_exclusive_licence_blocks_publishing(world, draft):
    PatentEncumbrance.objects.create(patent=draft.patents.get(), kind=EncumbranceKind.EXCLUSIVE_LICENCE)
    move(draft, S.SUBMITTED, world.seller)
    assert draft.__class__.objects.get(pk=draft.pk).review["overall"] == "fail"


def test_a_pending_application_passes_with_a_clear_note(world):
    patent = PatentFactory(owners=[world.university], legal_status="examination", grant_date=None)
    listing = ListingFactory(seller=world.university, with_patent=patent)
    listing = move(listing, S.SUBMITTED, world.seller)
    assert listing.review["overall"] == "warn"
    assert move(listing, S.PUBLISHED, world.ningbo_broker).status == S.PUBLISHED


def test_a_second_listing_of_the_same_patent_by_another_seller_fails_review(world, published):
    patent = published.patents.get()
    patent.applicant_names.append(world.enterprise.name)
    patent.save()
    rival = ListingFactory(seller=world.enterprise, with_patent=patent)
    move(rival, S.SUBMITTED, world.buyer)
    rival.refresh_from_db()
    assert any(f["message"] == "conflict_listing" and f["outcome"] == "fail" for f in rival.review["findings"])


def test_expire_listings_takes_lapsed_patents_off_the_market_and_is_idempotent(world, published):
    other = ListingFactory(seller=world.university)
    patent = published.patents.get()
    patent.legal_status = "lapsed_fee"
    patent.save()
    call_command("expire_listings")
    call_command("expire_listings")
    published.refresh_from_db()
    other.refresh_from_db()
    assert published.status == S.EXPIRED and other.status == S.DRAFT
    assert ListingEvent.objects.filter(listing=published, to_status=S.EXPIRED).count() == 1


def test_expire_listings_expires_listings_at_the_end_of_the_term(world, published):
    patent = published.patents.get()
    call_command("expire_listings", "--today", patent.expiry_date.isoformat())
    published.refresh_from_db()
    assert published.status == S.PUBLISHED  # still in force on its last day
    next_day = date.fromordinal(patent.expiry_date.toordinal() + 1)
    call_command("expire_listings", "--today", next_day.isoformat())
    published.refresh_from_db()
    assert published.status == S.EXPIRED


def test_only_the_broker_is_asked_what_the_seller_should_change(world, draft, client_for):
    move(draft, S.SUBMITTED, world.seller)
    prompt = 'name="note"'

    seller_page = client_for(world.seller).get(f"/patents/workspace/{draft.pk}/").content.decode()
    assert 'value="draft"' in seller_page and prompt not in seller_page  # the seller recalls it, no note asked

    broker_page = client_for(world.ningbo_broker).get(f"/patents/moderation/{draft.pk}/").content.decode()
    assert 'value="draft"' in broker_page and prompt in broker_page


def test_a_listing_of_an_unverified_seller_cannot_be_published_and_the_seller_sees_why(world, draft, client_for):
    world.university.verified = False
    world.university.save()
    move(draft, S.SUBMITTED, world.seller)  # the seller may prepare and submit meanwhile

    broker = client_for(world.ningbo_broker)
    review_page = broker.get(f"/patents/moderation/{draft.pk}/").text
    assert "卖方尚未通过认证" in review_page and f"/organisations/{world.university.pk}/" in review_page
    refused = broker.post(f"/patents/workspace/{draft.pk}/status/", {"to_status": "published"}, follow=True)
    assert "尚未通过认证" in refused.text
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.published_at is None

    seller_page = client_for(world.seller).get(f"/patents/workspace/{draft.pk}/").text
    assert "暂不能发布" in seller_page and "统一社会信用代码" in seller_page

    world.university.verified = True
    world.university.save()
    assert move(draft, S.PUBLISHED, world.ningbo_broker).status == S.PUBLISHED


def test_a_paused_listing_of_a_seller_whose_verification_was_withdrawn_stays_off_the_market(world, published):
    move(published, S.PAUSED, world.seller)
    world.university.verified = False
    world.university.save()
    with pytest.raises(ValidationError) as refused:
        move(published, S.PUBLISHED, world.seller)
    assert refused.value.code == "seller_unverified"
