"""`manage.py search_index`: rebuild from the database, with progress, and status."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from listings.models import Listing, ListingStatus
from search import get_search_backend, reset_search_backends
from search.backends.base import SearchQuery
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_every_published_listing_and_nothing_else(world):
    reset_search_backends()
    backend = get_search_backend()
    backend.reset_index()
    published = [ListingFactory(seller=world.university, title=f"锂电池隔膜{n}") for n in range(3)]
    ListingFactory(seller=world.university, title="锂电池草稿")  # a draft stays out
    Listing.objects.filter(pk__in=[listing.pk for listing in published]).update(status=ListingStatus.PUBLISHED)

    out, err = StringIO(), StringIO()
    call_command("search_index", "rebuild", "--batch-size", "2", stdout=out, stderr=err)

    assert "Indexed 3 published listings." in out.getvalue()
    assert "3/3 (100%)" in err.getvalue() and "2/3" in err.getvalue()
    assert sorted(backend.search(SearchQuery(text="锂电池")).ids) == sorted(listing.pk for listing in published)

    out = StringIO()
    call_command("search_index", "status", stdout=out)
    assert "Published listings: 3" in out.getvalue() and "Indexed listings: 3" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_shared_among_worker_processes_indexes_the_same(world):
    """On PostgreSQL the batches go to two processes; on SQLite (one writer) the same command indexes in one."""
    reset_search_backends()
    backend = get_search_backend()
    backend.reset_index()
    published = [ListingFactory(seller=world.university, title=f"石墨烯导热膜{n}") for n in range(5)]
    Listing.objects.filter(pk__in=[listing.pk for listing in published]).update(status=ListingStatus.PUBLISHED)

    out, err = StringIO(), StringIO()
    call_command("search_index", "rebuild", "--batch-size", "2", "--workers", "2", stdout=out, stderr=err)

    assert "Indexed 5 published listings." in out.getvalue() and "5/5 (100%)" in err.getvalue()
    results = backend.search(SearchQuery(text="石墨烯", facets=("mode",)))
    assert sorted(results.ids) == sorted(listing.pk for listing in published)
    assert sum(results.facet_counts["mode"].values()) >= 5


def test_workers_must_be_positive():
    with pytest.raises(CommandError, match="--workers"):
        call_command("search_index", "rebuild", "--workers", "0")
