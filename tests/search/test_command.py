"""`manage.py search_index`: rebuild from the database, with progress, and status."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from listings.models import Listing, ListingStatus
from search import get_search_backend, reset_search_backends
from search.backends.base import DEMANDS, SearchQuery
from search.documents import indexable_ids_by_field
from tests.demands.conftest import draft_of, published_of
from tests.factories import ListingFactory, PatentFactory

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

    assert "Indexed 3 published listings and 0 demands." in out.getvalue()
    assert "3/3 (100%)" in err.getvalue() and "2/3" in err.getvalue()
    assert sorted(backend.search(SearchQuery(text="锂电池")).ids) == sorted(listing.pk for listing in published)

    out = StringIO()
    call_command("search_index", "status", stdout=out)
    assert "Published listings: 3" in out.getvalue() and "Indexed listings: 3" in out.getvalue()
    assert "Waiting to be indexed: 0 (0 after a failed attempt)" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_rebuild_indexes_every_published_demand_and_no_draft_and_status_counts_them(world):
    reset_search_backends()
    backend = get_search_backend()
    backend.reset_index()
    published = published_of(world, title="寻求锂电池热失控预警技术")
    draft_of(world, title="锂电池需求草稿")
    backend.reset_index()  # as if the index had been lost: only a rebuild brings the demand back

    out = StringIO()
    call_command("search_index", "rebuild", stdout=out, stderr=StringIO())

    assert "Indexed 0 published listings and 1 demands." in out.getvalue()
    assert backend.search(SearchQuery(text="锂电池", kind=DEMANDS)).ids == [published.pk]
    out = StringIO()
    call_command("search_index", "status", stdout=out)
    assert "Indexed technology demands: 1" in out.getvalue()


def test_a_rebuild_shared_among_worker_processes_indexes_the_same(world):
    """On PostgreSQL the batches go to two processes; on SQLite (one writer) the same command indexes in one."""
    reset_search_backends()
    backend = get_search_backend()
    backend.reset_index()
    published = [ListingFactory(seller=world.university, title=f"石墨烯导热膜{n}") for n in range(5)]
    Listing.objects.filter(pk__in=[listing.pk for listing in published]).update(status=ListingStatus.PUBLISHED)

    out, err = StringIO(), StringIO()
    call_command("search_index", "rebuild", "--batch-size", "2", "--workers", "2", stdout=out, stderr=err)

    assert "Indexed 5 published listings and 0 demands." in out.getvalue() and "5/5 (100%)" in err.getvalue()
    results = backend.search(SearchQuery(text="石墨烯", facets=("mode",)))
    assert sorted(results.ids) == sorted(listing.pk for listing in published)
    assert sum(results.facet_counts["mode"].values()) >= 5


def test_a_rebuild_writes_listings_grouped_by_technology_field(world):
    """Listings published one field after another alternately are written field by field (main IPC code of
    the first patent), so that on PostgreSQL a common word's matches share table pages."""
    codes = ["H01M 4/525", "A61K 36/00", "H01M 10/0525", "A61K 31/00", "G06N 3/08"]
    listings = [
        ListingFactory(seller=world.university, with_patent=PatentFactory(main_ipc=code, ipc_codes=[code]))
        for code in codes
    ]
    design = ListingFactory(
        seller=world.university, with_patent=PatentFactory(patent_type="design", main_ipc="", ipc_codes=[])
    )
    draft = ListingFactory(
        seller=world.university, with_patent=PatentFactory(main_ipc="A01B 1/00", ipc_codes=["A01B 1/00"])
    )
    Listing.objects.filter(pk__in=[listing.pk for listing in [*listings, design]]).update(
        status=ListingStatus.PUBLISHED
    )

    ordered = indexable_ids_by_field()

    by_code = dict(zip(codes, listings, strict=True))
    expected = [design, *(by_code[code] for code in ["A61K 31/00", "A61K 36/00", "G06N 3/08"])]
    assert ordered[:4] == [listing.pk for listing in expected]
    assert set(ordered[4:]) == {by_code["H01M 4/525"].pk, by_code["H01M 10/0525"].pk}
    assert draft.pk not in ordered


def test_workers_must_be_positive():
    with pytest.raises(CommandError, match="--workers"):
        call_command("search_index", "rebuild", "--workers", "0")
