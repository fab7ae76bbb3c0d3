"""Writes to the search index. Receivers call these after commit; the `search_index` command rebuilds."""

from collections.abc import Callable, Iterator

from django.db import connection

from marketplace.core.processes import run_in_processes
from search import get_search_backend
from search.documents import ListingDocument, build_document, centre_parents, indexable_ids_by_field, indexable_listings

REBUILD_BATCH_SIZE = 500


def listing_reindex(*, listing_id: int) -> None:
    """Make the index agree with the listing as committed: indexed if published, absent otherwise.

    Reading the committed row (rather than trusting which signal fired) keeps the index right when a listing
    is, say, paused and published again within one transaction.
    """
    backend = get_search_backend()
    listing = indexable_listings().filter(pk=listing_id).first()
    if listing is None:
        backend.delete(listing_id)
    else:
        backend.add(build_document(listing))


def index_rebuild(
    *,
    batch_size: int = REBUILD_BATCH_SIZE,
    on_progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> int:
    """Rebuild the index from every published listing, in batches. Returns how many were indexed.

    How the new contents replace the old is the backend's business (`BaseSearchBackend.rebuild`): the database
    backend empties its index first, so searches find only what has been added so far; Elasticsearch fills a new
    index and then moves its alias to it. With `workers` > 1, and a backend that can be filled by several
    processes at once, the batches are shared among that many processes (segmenting Chinese text is most of the
    work, and it is CPU-bound).
    """
    ids = indexable_ids_by_field()
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    progress = _Progress(len(ids), on_progress)
    backend = get_search_backend()
    # Other processes cannot see what this transaction has not committed (a test's data, say).
    if workers > 1 and len(batches) > 1 and backend.fills_in_parallel and not connection.in_atomic_block:
        backend.reset_index()
        run_in_processes(
            "search.services.index_batches",
            batches,
            workers=min(workers, len(batches)),
            on_report=progress.done,
            what="indexing",
            when_died="run the rebuild again.",
        )
        backend.optimise_index()
        return len(ids)
    parents = centre_parents()

    def documents() -> Iterator[list[ListingDocument]]:
        # Progress is reported as the backend asks for the next batch, i.e. once the previous one is indexed.
        for batch in batches:
            yield [build_document(listing, parents) for listing in indexable_listings().filter(pk__in=batch)]
            progress.done(len(batch))

    return backend.rebuild(documents())


def index_batches(batches: list[list[int]], report: Callable[[int], None]) -> None:
    """The work of one indexing process (`run_in_processes`): the listings of each batch added to the index as
    they are now, and the batch's size reported."""
    parents = centre_parents()
    for listing_ids in batches:
        listings = indexable_listings().filter(pk__in=listing_ids)
        get_search_backend().add_bulk([build_document(listing, parents) for listing in listings])
        report(len(listing_ids))


class _Progress:
    def __init__(self, total: int, on_progress: Callable[[int, int], None] | None):
        self.total, self.finished, self.on_progress = total, 0, on_progress
        self.done(0)

    def done(self, count: int) -> None:
        self.finished += count
        if self.on_progress:
            self.on_progress(self.finished, self.total)
