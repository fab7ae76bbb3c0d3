"""Writes to the search index. Receivers call these after commit; the `search_index` command rebuilds."""

from collections.abc import Callable, Iterator

from search import get_search_backend
from search.documents import ListingDocument, build_document, centre_parents, indexable_listings

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
    *, batch_size: int = REBUILD_BATCH_SIZE, on_progress: Callable[[int, int], None] | None = None
) -> int:
    """Rebuild the index from every published listing, in batches. Returns how many were indexed.

    How the new contents replace the old is the backend's business (`BaseSearchBackend.rebuild`): the database
    backend empties its index first, so searches find only what has been added so far; Elasticsearch fills a new
    index and then moves its alias to it.
    """
    ids = list(indexable_listings().values_list("pk", flat=True))
    parents = centre_parents()

    def batches() -> Iterator[list[ListingDocument]]:
        # Progress is reported as the backend asks for the next batch, i.e. once the previous one is indexed.
        done = 0
        if on_progress:
            on_progress(done, len(ids))
        for start in range(0, len(ids), batch_size):
            batch = indexable_listings().filter(pk__in=ids[start : start + batch_size])
            yield [build_document(listing, parents) for listing in batch]
            done += len(batch)
            if on_progress:
                on_progress(done, len(ids))

    return get_search_backend().rebuild(batches())
