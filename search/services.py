"""Writes to the search index: the outbox the listing receivers fill and the task runner drains, one listing's
re-index, and the rebuild behind the `search_index` command."""

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from marketplace.core.processes import run_in_processes
from search import get_search_backend
from search.alerts import saved_searches_alert
from search.backends.base import DEMANDS, ListingDocument
from search.documents import build_document, centre_parents, indexable_ids_by_field, indexable_listings
from search.kinds import document_provider, registered_kinds
from search.models import DocumentOutbox, IndexOutbox

logger = logging.getLogger(__name__)

REBUILD_BATCH_SIZE = 2000
# An entry claimed longer ago than this was left by a runner that died: another drain takes it over. Far longer
# than one listing's re-index and alerts take.
OUTBOX_CLAIM_SECONDS = 600
# After a failure the entry waits 15 s, then 30 s, 1 min ... up to 5 min: an engine that comes back is caught up
# within minutes, and one that stays down is not hammered.
OUTBOX_RETRY_FIRST_SECONDS = 15
OUTBOX_RETRY_MAX_SECONDS = 300
OUTBOX_DRAIN_BATCH = 100
# A drain stops after this long (the periodic one runs every minute) or after this many failures in a row (the
# engine is down: the entries tried so far carry the error, the rest wait for the next run).
OUTBOX_DRAIN_SECONDS = 50.0
OUTBOX_DRAIN_FAILURES_IN_A_ROW = 3


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


def document_reindex(*, kind: str, document_id: int) -> None:
    """Make the index agree with a document of another kind (a demand) as committed: indexed if its provider
    (search.kinds) says it is public, absent otherwise. Without a provider (its app not installed), nothing."""
    provider = document_provider(kind)
    if provider is None:
        return
    if kind != DEMANDS:  # the one other kind the backends hold
        raise ValueError(f"No index for documents of kind {kind!r}")
    backend = get_search_backend()
    documents = provider.documents([document_id])
    if documents:
        backend.add_demands(documents)
    else:
        backend.delete_demand(document_id)


# --- The outbox ----------------------------------------------------------------------------------------------


def index_outbox_queue(*, listing_id: int, alert: bool = False) -> None:
    """Owe the index an update of this listing and, for a publication (`alert`), its saved-search alerts.

    Call it in the transaction that changed the listing: the entry commits or rolls back with the change. The
    caller then nudges a drain (`search.tasks.drain_soon_after_commit`); if the nudge is lost, the periodic drain
    (every minute) finds the entry. Queueing a listing that already waits counts one more change on its
    entry: the drain then indexes the last state, once.
    """
    now = timezone.now()
    changes = {"version": F("version") + 1, "queued_at": now, "next_attempt_at": now}
    if alert:
        changes["alert"] = True  # never switched off here: alerts still owed by an earlier publication stay owed
    if not IndexOutbox.objects.filter(pk=listing_id).update(**changes):
        try:
            with transaction.atomic():  # a savepoint: a lost race must not break the caller's transaction
                IndexOutbox.objects.create(
                    listing_id=listing_id, first_queued_at=now, queued_at=now, next_attempt_at=now, alert=alert
                )
        except IntegrityError:
            # Another transaction queued the listing first and has committed: this change counts on its entry.
            IndexOutbox.objects.filter(pk=listing_id).update(**changes)


@dataclass
class DrainReport:
    indexed: int = 0
    failed: int = 0
    requeued: int = 0  # indexed, but changed again meanwhile: indexed again on the next pass


def _claimable(now: datetime) -> QuerySet[IndexOutbox]:
    return IndexOutbox.objects.filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - timedelta(seconds=OUTBOX_CLAIM_SECONDS))
    )


def outbox_retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(OUTBOX_RETRY_MAX_SECONDS, OUTBOX_RETRY_FIRST_SECONDS * 2 ** (attempts - 1)))


def index_outbox_drain(*, batch_size: int = OUTBOX_DRAIN_BATCH, seconds: float = OUTBOX_DRAIN_SECONDS) -> DrainReport:
    """Bring the index up to date with every entry of the outbox that is due, and send the alerts they owe.

    Safe to run twice, and in several runners at once: each entry is claimed before it is worked on, so no two
    drains index one listing at the same moment (the slower could write an older state last); re-indexing reads the
    committed listing, and alerting skips the saved searches that already found it.
    """
    return _drain(_claimable, _drain_one, batch_size=batch_size, seconds=seconds)


def _drain(claimable, drain_one, *, batch_size: int, seconds: float) -> DrainReport:
    """Work through the due entries of an outbox (`claimable(now)`, keyed by the pk `drain_one` takes) until none
    is due, the time is up, or too many failed in a row (the index is down: the next drain tries again)."""
    report = DrainReport()
    deadline = time.monotonic() + seconds
    failures_in_a_row = 0
    while time.monotonic() < deadline:
        now = timezone.now()
        due = list(
            claimable(now)
            .filter(next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not due:
            break
        for key in due:
            outcome = drain_one(key)
            if outcome == "skipped":
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            failures_in_a_row = failures_in_a_row + 1 if outcome == "failed" else 0
            if failures_in_a_row >= OUTBOX_DRAIN_FAILURES_IN_A_ROW:
                logger.warning("Index outbox: %d failures in a row; the next drain tries again", failures_in_a_row)
                return report
            if time.monotonic() >= deadline:
                return report
    return report


def _drain_one(listing_id: int) -> str:
    now = timezone.now()
    if not _claimable(now).filter(pk=listing_id).update(claimed_at=now):
        return "skipped"  # another drain has it
    # The version is read before the listing is: a change committed after this read moves the version, so the
    # entry is kept below and that change is indexed on the next pass.
    entry = IndexOutbox.objects.filter(pk=listing_id).first()
    if entry is None:
        return "skipped"  # a rebuild covered it meanwhile
    try:
        listing_reindex(listing_id=listing_id)
        if entry.alert:
            saved_searches_alert(listing_id=listing_id)
    except Exception as error:  # noqa: BLE001 - whatever failed (engine down, a bad document), the entry is kept
        attempts = entry.attempts + 1
        delay = outbox_retry_delay(attempts)
        IndexOutbox.objects.filter(pk=listing_id).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now + delay,
            claimed_at=None,
        )
        logger.warning("Indexing listing %s failed (attempt %d; next in %s): %s", listing_id, attempts, delay, error)
        return "failed"
    if IndexOutbox.objects.filter(pk=listing_id, version=entry.version).delete()[0]:
        return "indexed"
    IndexOutbox.objects.filter(pk=listing_id).update(claimed_at=None)
    return "requeued"


def index_outbox_retry_now(*, listing_ids: list[int] | None = None) -> int:
    """For staff, once the engine is back: these entries (all by default) are due now rather than at their next
    retry time. Returns how many."""
    entries = IndexOutbox.objects.all() if listing_ids is None else IndexOutbox.objects.filter(pk__in=listing_ids)
    return entries.update(next_attempt_at=timezone.now())


def _outbox_forget_covered(covered: dict[int, int]) -> int:
    """Delete the entries a rebuild covered: those still at the version they had when it started (their change
    committed before the rebuild read any listing). Entries owing alerts stay, for the drain to send them."""
    forgotten = 0
    pairs = list(covered.items())
    for start in range(0, len(pairs), 200):
        # The version is part of the delete itself: an entry queued again meanwhile is a change to index still.
        chunk = pairs[start : start + 200]
        same_version = reduce(or_, (Q(pk=listing_id, version=version) for listing_id, version in chunk))
        forgotten += IndexOutbox.objects.filter(same_version, alert=False).delete()[0]
    return forgotten


# --- The outbox of other kinds (demands): the same rules, keyed by kind and id ----------------------------------


def document_outbox_queue(*, kind: str, document_id: int) -> None:
    """Owe the index an update of this document (as `index_outbox_queue` for a listing): call it in the
    transaction that changed it, then nudge a drain (`search.tasks.drain_soon_after_commit`)."""
    now = timezone.now()
    changes = {"version": F("version") + 1, "queued_at": now, "next_attempt_at": now}
    entries = DocumentOutbox.objects.filter(kind=kind, document_id=document_id)
    if not entries.update(**changes):
        try:
            with transaction.atomic():
                DocumentOutbox.objects.create(
                    kind=kind, document_id=document_id, first_queued_at=now, queued_at=now, next_attempt_at=now
                )
        except IntegrityError:
            entries.update(**changes)


def _claimable_documents(now: datetime) -> QuerySet[DocumentOutbox]:
    return DocumentOutbox.objects.filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - timedelta(seconds=OUTBOX_CLAIM_SECONDS))
    )


def document_outbox_drain(
    *, batch_size: int = OUTBOX_DRAIN_BATCH, seconds: float = OUTBOX_DRAIN_SECONDS
) -> DrainReport:
    """Bring the index up to date with every due entry of the documents' outbox; safe to run twice and side by
    side, for the reasons `index_outbox_drain` gives."""
    return _drain(_claimable_documents, _drain_document, batch_size=batch_size, seconds=seconds)


def _drain_document(entry_id: int) -> str:
    now = timezone.now()
    if not _claimable_documents(now).filter(pk=entry_id).update(claimed_at=now):
        return "skipped"
    entry = DocumentOutbox.objects.filter(pk=entry_id).first()
    if entry is None:
        return "skipped"
    try:
        document_reindex(kind=entry.kind, document_id=entry.document_id)
    except Exception as error:  # noqa: BLE001 - whatever failed, the entry is kept and retried later
        attempts = entry.attempts + 1
        delay = outbox_retry_delay(attempts)
        DocumentOutbox.objects.filter(pk=entry_id).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now + delay,
            claimed_at=None,
        )
        logger.warning("Indexing %s %s failed (attempt %d): %s", entry.kind, entry.document_id, attempts, error)
        return "failed"
    if DocumentOutbox.objects.filter(pk=entry_id, version=entry.version).delete()[0]:
        return "indexed"
    DocumentOutbox.objects.filter(pk=entry_id).update(claimed_at=None)
    return "requeued"


def documents_rebuild() -> dict[str, int]:
    """Replace every document of the other kinds (demands) in the index with those their providers call public
    now; returns how many per kind. Outbox entries read before are covered and forgotten."""
    indexed = {}
    for kind in registered_kinds():
        provider = document_provider(kind)
        covered = list(DocumentOutbox.objects.filter(kind=kind).values_list("pk", "version"))
        indexed[kind] = get_search_backend().rebuild_demands(provider.documents(provider.indexable_ids()))
        for entry_id, version in covered:
            DocumentOutbox.objects.filter(pk=entry_id, version=version).delete()
    return indexed


# --- Rebuilding ---------------------------------------------------------------------------------------------


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
    work, and it is CPU-bound). Outbox entries whose changes the rebuild read are deleted afterwards.
    """
    # Read before any listing is: each of these changes is committed, so the rebuild indexes it.
    covered = dict(IndexOutbox.objects.filter(alert=False).values_list("pk", "version"))
    indexed = _rebuild(backend=get_search_backend(), batch_size=batch_size, on_progress=on_progress, workers=workers)
    _outbox_forget_covered(covered)
    # The demands after the listings: the database backend's listing rebuild empties the whole index first.
    documents_rebuild()
    return indexed


def _rebuild(*, backend, batch_size: int, on_progress: Callable[[int, int], None] | None, workers: int) -> int:
    ids = indexable_ids_by_field()
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    progress = _Progress(len(ids), on_progress)
    # Other processes cannot see what this transaction has not committed (a test's data, say).
    if workers > 1 and len(batches) > 1 and backend.fills_in_parallel and not connection.in_atomic_block:
        backend.reset_index_for_rebuild()
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
