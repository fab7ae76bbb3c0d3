"""The index follows the listings through an outbox: a change is written in its own transaction, the task runner
indexes it, and a search-engine outage delays indexing and alerts without losing any, and without a rebuild.

The engine's outage is real at the interface the platform talks to: `tests.search.backends.OutageBackend`, chosen
through SEARCH_BACKENDS, refuses every call with a connection error while ENGINE_DOWN is set.
"""

from datetime import timedelta

import pytest
from dbtasks.models import ScheduledTask
from django.db.models import F
from django.utils import timezone

from listings.models import Listing, ListingStatus
from listings.services import listing_set_status, listing_update
from marketplace.background.models import PeriodicJob
from marketplace.background.selectors import queue_summary
from search import get_search_backend, reset_search_backends
from search.backends.base import SearchQuery
from search.backends.database import DatabaseSearchBackend
from search.models import IndexOutbox, SavedSearch, SavedSearchHit
from search.selectors import index_outbox_backlog
from search.services import index_outbox_drain, index_outbox_queue, index_rebuild
from search.tasks import drain_index_outbox
from tests.background.test_runner import queued_tasks, runners, wait_until  # noqa: F401 - queued_tasks is a fixture
from tests.factories import ListingFactory, UserFactory, sign_in
from tests.search.backends import ENGINE_DOWN

PUBLICATIONS = 100


@pytest.fixture
def engine(settings):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "tests.search.backends.OutageBackend"}}
    reset_search_backends()
    get_search_backend().reset_index()
    yield get_search_backend()
    ENGINE_DOWN.clear()
    reset_search_backends()


def stored() -> int:
    """What the engine holds, read from its own tables past the outage."""
    return DatabaseSearchBackend(alias="storage").document_count()


def found(text: str) -> list[int]:
    return get_search_backend().search(SearchQuery(text=text, page_size=100)).ids


def retry_times_pass() -> None:
    """The minutes the failed entries were told to wait go by."""
    IndexOutbox.objects.update(next_attempt_at=F("next_attempt_at") - timedelta(hours=1))


def listings_to_publish(world, count: int) -> list[Listing]:
    listings = [ListingFactory(seller=world.university, title=f"钙钛矿太阳能电池{n}") for n in range(count)]
    for listing in listings:
        listing_set_status(listing=listing, to_status=ListingStatus.SUBMITTED, actor=world.seller)
    return listings


@pytest.mark.django_db
def test_a_search_engine_outage_during_100_publishes_loses_nothing_and_needs_no_rebuild(
    world, engine, django_capture_on_commit_callbacks
):
    listings = listings_to_publish(world, PUBLICATIONS)
    ENGINE_DOWN.set()
    for listing in listings:
        with django_capture_on_commit_callbacks(execute=True):  # each commit nudges a drain, which fails
            listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)

    assert Listing.objects.filter(status=ListingStatus.PUBLISHED).count() == PUBLICATIONS  # publishing went on
    assert stored() == 0
    entries = list(IndexOutbox.objects.all())
    assert len(entries) == PUBLICATIONS
    assert all(entry.attempts == 1 and entry.last_error.startswith("ConnectionError") for entry in entries)
    backlog = index_outbox_backlog()
    assert (backlog.waiting, backlog.failing) == (PUBLICATIONS, PUBLICATIONS) and backlog.oldest_age is not None

    # Still down when the retries come: the drain stops after three failures rather than trying every entry.
    retry_times_pass()
    assert index_outbox_drain().failed == 3

    ENGINE_DOWN.clear()
    retry_times_pass()
    drain_index_outbox.enqueue()  # the periodic drain, a minute later

    assert sorted(found("钙钛矿")) == sorted(listing.pk for listing in listings)
    assert stored() == PUBLICATIONS
    assert not IndexOutbox.objects.exists() and index_outbox_backlog().waiting == 0


@pytest.mark.django_db(transaction=True)
def test_the_task_runner_catches_up_by_itself_once_the_engine_is_back(world, engine, queued_tasks):  # noqa: F811
    listings = listings_to_publish(world, PUBLICATIONS)
    with runners(2):
        ENGINE_DOWN.set()
        for listing in listings:
            listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
        # Every nudge has been run by now, and failed.
        wait_until(lambda: (summary := queue_summary()).ready == 0 and summary.running == 0)
        assert stored() == 0 and IndexOutbox.objects.count() == PUBLICATIONS
        assert IndexOutbox.objects.filter(last_error__startswith="ConnectionError").exists()

        ENGINE_DOWN.clear()
        retry_times_pass()
        # A minute passes: the runners' housekeeping enqueues the periodic drain (no rebuild, no nudge).
        PeriodicJob.objects.filter(task_path="search.tasks.drain_index_outbox").update(next_run_at=timezone.now())
        wait_until(lambda: not IndexOutbox.objects.exists(), seconds=60)

    assert sorted(found("钙钛矿")) == sorted(listing.pk for listing in listings)
    job = PeriodicJob.objects.get(task_path="search.tasks.drain_index_outbox")
    assert ScheduledTask.objects.get(pk=job.last_task_id).return_value["indexed"] == PUBLICATIONS


@pytest.mark.django_db
def test_a_listing_changed_twice_while_the_engine_is_down_is_indexed_as_its_last_state(
    world, engine, django_capture_on_commit_callbacks
):
    [listing] = listings_to_publish(world, 1)
    ENGINE_DOWN.set()
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    for title in ("碳化硅功率器件", "氮化镓射频芯片"):
        with django_capture_on_commit_callbacks(execute=True):
            listing_update(listing=Listing.objects.get(pk=listing.pk), actor=world.seller, title=title)
    entry = IndexOutbox.objects.get()
    assert entry.version == 3 and entry.alert  # three changes, one entry; the publication's alerts still owed

    ENGINE_DOWN.clear()
    retry_times_pass()
    drain_index_outbox.enqueue()
    assert found("氮化镓") == [listing.pk]
    assert found("碳化硅") == [] and found("钙钛矿") == []
    assert not IndexOutbox.objects.exists()


@pytest.mark.django_db
def test_a_listing_closed_while_the_engine_is_down_leaves_the_index_once_it_is_back(
    world, engine, django_capture_on_commit_callbacks
):
    [listing] = listings_to_publish(world, 1)
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    assert found("钙钛矿") == [listing.pk]
    ENGINE_DOWN.set()
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_status(
            listing=listing, to_status=ListingStatus.CLOSED, actor=world.seller, close_reason="transferred"
        )
    ENGINE_DOWN.clear()
    assert found("钙钛矿") == [listing.pk]  # not yet: the entry waits for its retry
    retry_times_pass()
    drain_index_outbox.enqueue()
    assert found("钙钛矿") == []


@pytest.mark.django_db
def test_saved_search_alerts_owed_during_an_outage_come_once_the_engine_is_back(
    world, engine, django_capture_on_commit_callbacks
):
    SavedSearch.objects.create(user=world.buyer, name="钙钛矿", query="钙钛矿")
    [listing] = listings_to_publish(world, 1)
    ENGINE_DOWN.set()
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    assert not SavedSearchHit.objects.exists()

    ENGINE_DOWN.clear()
    retry_times_pass()
    drain_index_outbox.enqueue()
    assert SavedSearchHit.objects.filter(saved_search__user=world.buyer, listing=listing).count() == 1


@pytest.mark.django_db
def test_an_entry_queued_again_while_it_is_being_indexed_stays_for_the_next_pass(
    world, engine, django_capture_on_commit_callbacks
):
    [listing] = listings_to_publish(world, 1)
    with django_capture_on_commit_callbacks(execute=False):  # no nudge: this test drains by hand
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    changed = []
    add_bulk = type(engine).add_bulk

    def add_bulk_while_the_seller_edits(self, documents):
        add_bulk(self, documents)
        if not changed:  # the seller saves a new title just after the indexer read the listing
            changed.append(
                listing_update(listing=Listing.objects.get(pk=listing.pk), actor=world.seller, title="氮化镓")
            )

    type(engine).add_bulk = add_bulk_while_the_seller_edits
    try:
        report = index_outbox_drain()
    finally:
        type(engine).add_bulk = add_bulk
    # Indexed twice: the first pass left the entry (its version had moved), the second indexed the new title.
    assert (report.requeued, report.indexed) == (1, 1)
    assert found("氮化镓") == [listing.pk] and not IndexOutbox.objects.exists()


@pytest.mark.django_db
def test_a_drain_leaves_an_entry_another_runner_is_indexing_unless_that_runner_died(world, engine):
    [listing] = listings_to_publish(world, 1)
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.PUBLISHED, published_at=timezone.now())
    index_outbox_queue(listing_id=listing.pk)
    IndexOutbox.objects.update(claimed_at=timezone.now())  # another runner is on it
    assert index_outbox_drain().indexed == 0
    IndexOutbox.objects.update(claimed_at=timezone.now() - timedelta(hours=1))  # and died there
    assert index_outbox_drain().indexed == 1
    assert found("钙钛矿") == [listing.pk]


@pytest.mark.django_db
def test_a_rebuild_clears_the_entries_it_covered_but_not_the_alerts_still_owed(world, engine):
    listings = listings_to_publish(world, 3)
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(
        status=ListingStatus.PUBLISHED, published_at=timezone.now()
    )
    edited, edited_again, published = listings
    index_outbox_queue(listing_id=edited.pk)
    index_outbox_queue(listing_id=edited_again.pk)
    index_outbox_queue(listing_id=published.pk, alert=True)

    assert index_rebuild() == 3
    assert list(IndexOutbox.objects.values_list("pk", flat=True)) == [published.pk]
    assert sorted(found("钙钛矿")) == sorted(x.pk for x in listings)


@pytest.mark.django_db
def test_staff_see_a_stuck_outbox_in_the_admin_and_send_it_again_once_the_engine_is_back(
    world, engine, client, django_capture_on_commit_callbacks
):
    [listing] = listings_to_publish(world, 1)
    ENGINE_DOWN.set()
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, admin)
    page = client.get("/django-admin/search/indexoutbox/").content.decode()
    assert "1 条挂牌等待索引，其中 1 条上次尝试失败" in page and "ConnectionError" in page

    ENGINE_DOWN.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/django-admin/search/indexoutbox/",
            {"action": "retry_now", "_selected_action": [listing.pk]},
        )
    assert response.status_code == 302
    assert found("钙钛矿") == [listing.pk] and not IndexOutbox.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_publication_is_indexed_ahead_of_a_backlog_of_other_background_work(world, engine, queued_tasks):  # noqa: F811
    from marketplace.background.tasks import requeue_unsent_mail

    [listing] = listings_to_publish(world, 1)
    for _ in range(30):  # queued before the publication, as Wagtail's upkeep after a page import is
        requeue_unsent_mail.enqueue()
    listing_set_status(listing=listing, to_status=ListingStatus.PUBLISHED, actor=world.ningbo_broker)
    with runners(1):
        wait_until(lambda: not IndexOutbox.objects.exists())
        wait_until(lambda: queue_summary().ready == 0 and queue_summary().running == 0)
    drain = ScheduledTask.objects.get(task_path="search.tasks.drain_index_outbox")
    others = ScheduledTask.objects.exclude(pk=drain.pk)
    assert drain.started_at <= min(others.values_list("started_at", flat=True))
    assert found("钙钛矿") == [listing.pk]
