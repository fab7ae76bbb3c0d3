"""A buyer saves a search and hears, once, when a listing it finds is published: at once over the notification
socket, and by mail in a digest (one mail an hour at most, with every new match of all their saved searches).
Anonymous visitors cannot save; nobody can touch another person's saved searches."""

import re
from urllib.parse import quote

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail

from listings.models import Listing, ListingStatus
from listings.services import listing_set_status
from marketplace.core.consumers import NotificationConsumer
from search import get_search_backend, reset_search_backends
from search.alerts import alert_digests_send
from search.backends.base import SearchQuery
from search.models import SavedSearch, SavedSearchHit
from search.tasks import send_alert_digests
from tests.factories import UserFactory, listing_publish, make_application_number
from tests.search.backends import CountingBackend
from tests.search.factories import make_listing
from tests.search.test_finder import publish

SAVE = "/search/save/"
SAVED = "/search/saved/"


@pytest.fixture
def sellers(world):
    world.university.city = "ningbo"
    world.university.save()
    world.other_enterprise.city = "hangzhou"
    world.other_enterprise.save()
    return world


def new_listing(seller, title, serial, *, mode="licence", ipc=("C01B 32/184",)) -> Listing:
    return make_listing(
        seller,
        title=title,
        summary=f"{title}，适用于手机和电脑散热。",
        number=make_application_number(serial),
        ipc=list(ipc),
        mode=mode,
    )


def save_search(client, **data):
    return client.post(SAVE, {"name": "", **data})


# --- Saving -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_logged_in_buyer_saves_a_search_with_its_filters(world, client_for, backend):
    client = client_for(world.buyer)
    page = client.get("/patents/", {"q": "石墨烯", "mode": "transfer"}).content.decode()
    assert f'action="{SAVE}"' in page and 'name="name" value="石墨烯"' in page

    response = save_search(client, q="石墨烯", mode=["transfer", "bogus"], city="ningbo", sort="newest")
    assert response.status_code == 302
    assert response["Location"] == f"/patents/?q={quote('石墨烯')}&mode=transfer&city=ningbo&sort=newest"
    saved = SavedSearch.objects.get(user=world.buyer)
    assert (saved.name, saved.query, saved.filters) == ("石墨烯", "石墨烯", {"mode": ["transfer"], "city": ["ningbo"]})
    assert saved.active and saved.language == "zh-hans"

    # Saving the same search again keeps one; the page now says it is saved.
    save_search(client, q="石墨烯", mode="transfer", city="ningbo")
    assert SavedSearch.objects.filter(user=world.buyer).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert f'action="{SAVE}"' not in page and f'href="{SAVED}"' in page

    listed = client.get(SAVED).content.decode()
    assert "石墨烯" in listed and f'href="/patents/?q={quote("石墨烯")}&amp;mode=transfer&amp;city=ningbo"' in listed


@pytest.mark.django_db
def test_a_search_is_saved_under_the_name_the_buyer_gives_it(world, client_for, backend):
    client = client_for(world.buyer)
    save_search(client, q="", ipc_section="H", name="  电学  新品 ")
    saved = SavedSearch.objects.get(user=world.buyer)
    assert (saved.name, saved.query, saved.filters) == ("电学 新品", "", {"ipc_section": ["H"]})


@pytest.mark.django_db
def test_anonymous_visitors_cannot_save_a_search(client, backend):
    page = client.get("/patents/", {"q": "石墨烯"}).content.decode()
    assert f'action="{SAVE}"' not in page
    assert "/accounts/login/?next=" in page

    response = save_search(client, q="石墨烯")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert not SavedSearch.objects.exists()
    assert client.get(SAVED).status_code == 302


@pytest.mark.django_db
def test_one_person_cannot_delete_or_switch_off_another_persons_saved_search(world, client_for, backend):
    save_search(client_for(world.buyer), q="石墨烯")
    saved = SavedSearch.objects.get()

    intruder = client_for(world.outsider)
    assert intruder.post(f"{SAVED}{saved.pk}/delete/").status_code == 404
    assert intruder.post(f"{SAVED}{saved.pk}/alerts/").status_code == 404
    assert intruder.get(SAVED).context["rows"] == []
    saved.refresh_from_db()
    assert saved.active

    owner = client_for(world.buyer)
    assert owner.get(f"{SAVED}{saved.pk}/delete/").status_code == 405  # deleting takes a POST
    owner.post(f"{SAVED}{saved.pk}/alerts/")
    saved.refresh_from_db()
    assert not saved.active
    owner.post(f"{SAVED}{saved.pk}/alerts/", {"active": "on"})
    saved.refresh_from_db()
    assert saved.active
    response = owner.post(f"{SAVED}{saved.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == SAVED
    assert not SavedSearch.objects.exists()


@pytest.mark.django_db
def test_my_workspace_lists_my_saved_searches(world, client_for, backend):
    client = client_for(world.buyer)
    empty = client.get("/workspace/").content.decode()
    assert 'id="saved-searches-panel-title"' in empty and 'href="/patents/"' in empty
    save_search(client, q="石墨烯")
    page = client.get("/workspace/").content.decode()
    assert f'href="/patents/?q={quote("石墨烯")}"' in page and f'href="{SAVED}"' in page


# --- Alerts -------------------------------------------------------------------------------------------------


def an_hour_passes() -> None:
    """The hourly digest job runs (settings.PERIODIC_TASKS), as the task runner would run it."""
    send_alert_digests.enqueue()


def mailed_to() -> list[list[str]]:
    return [message.to for message in mail.outbox]


@pytest.mark.django_db
def test_alerts_follow_the_words_and_filters_and_come_once_per_listing(
    sellers,
    client_for,
    backend,
    django_capture_on_commit_callbacks,
):
    world = sellers
    save_search(client_for(world.buyer), q="石墨烯", city="ningbo")
    save_search(client_for(world.stranger), q="石墨烯", mode="transfer")
    switched_off = SavedSearch.objects.create(user=UserFactory(), name="off", query="石墨烯", active=False)
    capture = django_capture_on_commit_callbacks

    licence = new_listing(world.university, "石墨烯导热膜", 101)
    publish(licence, world.seller, world.ningbo_broker, capture)
    elsewhere = new_listing(world.other_enterprise, "石墨烯散热片", 102, mode="transfer")
    publish(elsewhere, world.outsider, world.hangzhou_broker, capture)
    graphite = new_listing(world.university, "天然石墨提纯工艺", 103)
    publish(graphite, world.seller, world.ningbo_broker, capture)
    assert mail.outbox == []  # the mail waits for the digest

    an_hour_passes()
    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert sorted(by_person) == sorted([world.buyer.email, world.stranger.email])
    assert licence.title in by_person[world.buyer.email] and f"/patents/{licence.pk}/" in by_person[world.buyer.email]
    assert elsewhere.title not in by_person[world.buyer.email]  # not the Ningbo search
    assert elsewhere.title in by_person[world.stranger.email]
    assert licence.title not in by_person[world.stranger.email]  # not the transfer search
    assert graphite.title not in "".join(by_person.values())

    # Paused and published again: the listing is announced twice, the buyer hears once.
    with capture(execute=True):
        listing_set_status(listing=licence, to_status=ListingStatus.PAUSED, actor=world.seller)
        listing_set_status(listing=licence, to_status=ListingStatus.PUBLISHED, actor=world.seller)
    an_hour_passes()
    assert len(mail.outbox) == 2
    assert SavedSearchHit.objects.filter(saved_search__user=world.buyer).count() == 1
    assert not SavedSearchHit.objects.filter(saved_search=switched_off).exists()
    assert SavedSearch.objects.get(user=world.buyer).last_notified_at is not None


@pytest.mark.django_db
def test_a_centre_filter_alerts_for_listings_of_its_sub_centres(
    world,
    client_for,
    backend,
    django_capture_on_commit_callbacks,
):
    save_search(client_for(world.stranger), q="", centre=str(world.ningbo.pk))
    save_search(client_for(world.outsider), q="", centre=str(world.hangzhou.pk))
    listing = new_listing(world.enterprise, "石墨烯复合材料", 104)  # hosted by the alliance, below Ningbo
    publish(listing, world.buyer, world.alliance_broker, django_capture_on_commit_callbacks)
    an_hour_passes()
    assert mailed_to() == [[world.stranger.email]]


@pytest.mark.django_db
def test_the_alert_mail_is_written_in_the_language_the_search_was_saved_in(
    sellers,
    client_for,
    backend,
    django_capture_on_commit_callbacks,
):
    world = sellers
    client = client_for(world.buyer)
    client.cookies["django_language"] = "en"
    save_search(client, q="graphene")
    assert SavedSearch.objects.get().language == "en"
    listing = make_listing(
        world.university,
        title="Graphene heat spreader",
        summary="A graphene film that cools phones.",
        number=make_application_number(105),
        ipc=["C01B 32/184"],
    )
    publish(listing, world.seller, world.ningbo_broker, django_capture_on_commit_callbacks)
    an_hour_passes()
    [message] = mail.outbox
    assert message.subject == "1 new listing for your saved search “graphene”"
    assert "A new listing matches your saved searches" in message.body
    assert "Saved search “graphene”" in message.body and "Graphene heat spreader" in message.body
    assert "http://" in message.body and "/search/saved/" in message.body


@pytest.mark.django_db
def test_the_digest_is_in_chinese_unless_the_search_was_saved_in_english(
    sellers,
    client_for,
    backend,
    django_capture_on_commit_callbacks,
):
    world = sellers
    save_search(client_for(world.buyer), q="石墨烯")
    save_search(client_for(world.buyer), q="导热膜")
    publish(
        new_listing(world.university, "石墨烯导热膜", 106),
        world.seller,
        world.ningbo_broker,
        django_capture_on_commit_callbacks,
    )
    an_hour_passes()
    [message] = mail.outbox
    assert message.subject == "您订阅的检索有 2 条新挂牌"
    assert "订阅检索“石墨烯”" in message.body and "订阅检索“导热膜”" in message.body


@pytest.mark.django_db
def test_each_person_gets_one_mail_an_hour_with_every_new_match_grouped_by_saved_search(
    sellers,
    client_for,
    backend,
    django_capture_on_commit_callbacks,
):
    world = sellers
    buyer = client_for(world.buyer)
    save_search(buyer, q="石墨烯", name="石墨烯")
    save_search(buyer, q="", mode="transfer", name="转让")
    save_search(client_for(world.stranger), q="导热膜")
    capture = django_capture_on_commit_callbacks
    film = new_listing(world.university, "石墨烯导热膜", 111)
    sheet = new_listing(world.university, "石墨烯散热片", 112)
    sold = new_listing(world.other_enterprise, "天然石墨提纯工艺", 113, mode="transfer")
    publish(film, world.seller, world.ningbo_broker, capture)
    publish(sheet, world.seller, world.ningbo_broker, capture)
    publish(sold, world.outsider, world.hangzhou_broker, capture)

    an_hour_passes()
    assert sorted(mailed_to()) == sorted([[world.buyer.email], [world.stranger.email]])
    [digest] = [message for message in mail.outbox if message.to == [world.buyer.email]]
    assert digest.subject == "您订阅的检索有 3 条新挂牌"
    body = digest.body
    graphene, transfer = body.index("“石墨烯”"), body.index("“转让”")
    # Newest saved search first, each followed by its own listings.
    assert transfer < body.index(sold.title) < graphene < body.index(film.title) < body.index(sheet.title)
    assert len(re.findall(r"/patents/\d+/", body)) == 3  # the listings; each search links to the finder too
    assert "/patents/?q=" in body
    [other] = [message for message in mail.outbox if message.to == [world.stranger.email]]
    assert film.title in other.body and sheet.title not in other.body


@pytest.mark.django_db
def test_a_digest_run_twice_mails_nothing_twice(
    sellers,
    client_for,
    backend,
    django_capture_on_commit_callbacks,
):
    world = sellers
    save_search(client_for(world.buyer), q="石墨烯")
    capture = django_capture_on_commit_callbacks
    first = new_listing(world.university, "石墨烯导热膜", 121)
    publish(first, world.seller, world.ningbo_broker, capture)
    assert alert_digests_send() == 1
    assert alert_digests_send() == 0  # the same hour's job run again, or by a second runner
    assert len(mail.outbox) == 1

    second = new_listing(world.university, "石墨烯散热片", 122)
    publish(second, world.seller, world.ningbo_broker, capture)
    assert alert_digests_send() == 1
    assert len(mail.outbox) == 2
    assert second.title in mail.outbox[1].body and first.title not in mail.outbox[1].body
    assert not SavedSearchHit.objects.filter(mailed_at=None).exists()


@pytest.mark.django_db
def test_a_person_with_alerts_switched_off_gets_nothing(
    sellers,
    client_for,
    backend,
    django_capture_on_commit_callbacks,
):
    world = sellers
    save_search(client_for(world.buyer), q="石墨烯")
    saved = SavedSearch.objects.get()
    client_for(world.buyer).post(f"{SAVED}{saved.pk}/alerts/")  # switched off
    capture = django_capture_on_commit_callbacks
    publish(new_listing(world.university, "石墨烯导热膜", 131), world.seller, world.ningbo_broker, capture)
    an_hour_passes()
    # No hit, so no notification either (one goes out with each hit, as it is recorded) and no mail.
    assert mail.outbox == [] and not SavedSearchHit.objects.exists()

    # Switched off after a match was found but before its digest went: the mail does not go either.
    client_for(world.buyer).post(f"{SAVED}{saved.pk}/alerts/", {"active": "on"})
    publish(new_listing(world.university, "石墨烯散热片", 132), world.seller, world.ningbo_broker, capture)
    assert SavedSearchHit.objects.count() == 1
    client_for(world.buyer).post(f"{SAVED}{saved.pk}/alerts/")
    an_hour_passes()
    assert mail.outbox == []


@pytest.mark.django_db
def test_saved_searches_that_cannot_find_a_listing_cost_no_search_and_shared_words_one(
    sellers, settings, django_capture_on_commit_callbacks
):
    world = sellers
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "tests.search.backends.CountingBackend"}}
    reset_search_backends()
    get_search_backend().reset_index()
    people = UserFactory.create_batch(40)
    for n, person in enumerate(people):
        # Half filter on a city the listing is not sold from: ruled out without asking the backend.
        city = ["hangzhou"] if n % 2 else ["ningbo"]
        SavedSearch.objects.create(
            user=person, name=f"s{n}", query=["石墨烯", "导热膜"][n % 4 // 2], filters={"city": city}
        )
    CountingBackend.searches = []
    listing = new_listing(world.university, "石墨烯导热膜", 141)
    publish(listing, world.seller, world.ningbo_broker, django_capture_on_commit_callbacks)
    assert sorted(CountingBackend.searches) == ["导热膜", "石墨烯"]  # 40 saved searches, two searches
    assert SavedSearchHit.objects.filter(listing=listing).count() == 20
    reset_search_backends()


@pytest.mark.django_db(transaction=True)
async def test_publishing_a_matching_listing_notifies_the_buyer_at_once_over_the_socket_and_by_mail_in_the_digest(
    sellers,
    backend,
):
    world = sellers

    @sync_to_async
    def setup():
        from django.test import Client

        client = Client()
        client.force_login(world.buyer)
        save_search(client, q="石墨烯", city="ningbo")

    @sync_to_async
    def submit_and_publish(seller, title, serial, broker):
        return listing_publish(new_listing(seller, title, serial), seller_user=seller_user[seller.pk], broker=broker)

    @sync_to_async
    def pause_and_resume(listing):
        listing_set_status(listing=listing, to_status=ListingStatus.PAUSED, actor=world.seller)
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.seller)

    seller_user = {world.university.pk: world.seller, world.other_enterprise.pk: world.outsider}
    await setup()
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = world.buyer
    connected, _ = await communicator.connect()
    assert connected

    listing = await submit_and_publish(world.university, "石墨烯导热膜", 201, world.ningbo_broker)
    notification = await communicator.receive_json_from(timeout=2)
    assert notification["url"] == f"/patents/{listing.pk}/"
    assert "石墨烯" in notification["message"] and "石墨烯导热膜" in notification["message"]
    assert await communicator.receive_nothing(timeout=0.3)
    assert mail.outbox == []  # the mail comes with the digest

    # Not matching: graphite is not graphene; graphene sold from Hangzhou is outside the saved city.
    await submit_and_publish(world.university, "天然石墨提纯工艺", 202, world.ningbo_broker)
    await submit_and_publish(world.other_enterprise, "石墨烯散热片", 203, world.hangzhou_broker)
    assert await communicator.receive_nothing(timeout=0.3)

    # A second publish event for the same listing does not alert again.
    await pause_and_resume(listing)
    assert await communicator.receive_nothing(timeout=0.3)
    await sync_to_async(an_hour_passes)()
    assert mailed_to() == [[world.buyer.email]]
    assert "石墨烯导热膜" in mail.outbox[0].body and "石墨烯散热片" not in mail.outbox[0].body
    await communicator.disconnect()


@pytest.mark.django_db
def test_alerts_read_a_saved_search_exactly_as_the_search_page_does(world):
    from search.alerts import _saved_query, saved_search_form
    from search.facets import facet_vocabulary

    vocabulary = facet_vocabulary()
    allowed = {facet: {value for value, _label in values} for facet, values in vocabulary.items()}
    kept = [
        ("  石墨烯　 导热膜 ", {"city": ["ningbo", "atlantis", "ningbo"], "mode": [" transfer "]}),
        ("", {"centre": [str(world.ningbo.pk), 12345], "bogus": ["x"], "ipc_section": "H"}),
        ("x" * 300, "not a dict"),
        ("lithium", {"price_band": [], "seller_kind": ["university"]}),
    ]
    for text, filters in kept:
        saved = SavedSearch(user=world.buyer, name="n", query=text, filters=filters)
        by_form = saved_search_form(saved, vocabulary=vocabulary).search_query(facets=())
        assert _saved_query(text, filters, allowed) == SearchQuery(text=by_form.text, filters=by_form.filters)
