"""Writes to the search index. Receivers call these after commit; the `search_index` command rebuilds."""

import multiprocessing
import queue
from collections.abc import Callable, Iterator

from django.db import connection

from search import get_search_backend, rebuild_process
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
    ids = list(indexable_listings().values_list("pk", flat=True))
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    progress = _Progress(len(ids), on_progress)
    backend = get_search_backend()
    if workers > 1 and backend.fills_in_parallel:
        backend.reset_index()
        _index_in_processes(batches, workers, progress)
        backend.optimise_index()
        return len(ids)
    parents = centre_parents()

    def documents() -> Iterator[list[ListingDocument]]:
        # Progress is reported as the backend asks for the next batch, i.e. once the previous one is indexed.
        for batch in batches:
            yield [build_document(listing, parents) for listing in indexable_listings().filter(pk__in=batch)]
            progress.done(len(batch))

    return backend.rebuild(documents())


def index_listings(listing_ids: list[int]) -> int:
    """Add these listings to the index as they are now (a batch of a parallel rebuild). Returns how many."""
    parents = centre_parents()
    documents = [build_document(listing, parents) for listing in indexable_listings().filter(pk__in=listing_ids)]
    get_search_backend().add_bulk(documents)
    return len(listing_ids)


class _Progress:
    def __init__(self, total: int, on_progress: Callable[[int, int], None] | None):
        self.total, self.finished, self.on_progress = total, 0, on_progress
        self.done(0)

    def done(self, count: int) -> None:
        self.finished += count
        if self.on_progress:
            self.on_progress(self.finished, self.total)


def _index_in_processes(batches: list[list[int]], workers: int, progress: _Progress) -> None:
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    database_name = str(connection.settings_dict["NAME"])
    processes = [
        context.Process(
            target=rebuild_process.index_batches, args=(database_name, batches[number::workers], messages), daemon=True
        )
        for number in range(workers)
    ]
    for process in processes:
        process.start()
    running = workers
    try:
        while running:
            try:
                message = messages.get(timeout=1)
            except queue.Empty:
                # A process killed from outside (out of memory, a signal) never says goodbye.
                if any(process.exitcode not in (None, 0) for process in processes):
                    raise RuntimeError("An indexing process died; run the rebuild again.") from None
                continue
            if message is None:
                running -= 1
            elif isinstance(message, str):
                raise RuntimeError(f"An indexing process failed: {message}")
            else:
                progress.done(message)
    finally:
        for process in processes:
            if running and process.is_alive():
                process.terminate()
            process.join()
