"""`manage.py search_index rebuild` refills the search index (listings, then technology demands) from the database;
`status` compares the two."""

import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search import get_search_backend
from search.documents import indexable_listings
from search.selectors import index_outbox_backlog
from search.services import REBUILD_BATCH_SIZE, index_rebuild

PROGRESS_BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the listing search index from the database, or show its status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])
        parser.add_argument("--batch-size", type=int, default=REBUILD_BATCH_SIZE)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that index side by side, where the backend allows it (the database backend on "
            "PostgreSQL); default: one per core there (up to 8), else 1.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Rebuild only when the index holds nothing (used by `make run` after loading the demo data).",
        )

    def handle(
        self, *args, action: str, batch_size: int, if_empty: bool = False, workers: int | None = None, **options
    ) -> None:
        if workers is None:
            # Segmenting Chinese is CPU-bound: every core helps where several processes may write at once.
            workers = min(os.cpu_count() or 1, 8) if get_search_backend().fills_in_parallel else 1
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if action == "rebuild" and if_empty and get_search_backend().document_count() > 0:
            self.stdout.write("The search index is already filled; nothing to do.")
            return
        if action == "rebuild":
            indexed = index_rebuild(batch_size=batch_size, on_progress=self._show_progress, workers=workers)
            self.stderr.write("")
            demands = get_search_backend().demand_count()
            self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} published listings and {demands} demands."))
        else:
            backend = get_search_backend()
            health = backend.healthcheck()
            self.stdout.write(f"Backend: {health.detail or type(backend).__name__} ({'ok' if health.ok else 'down'})")
            self.stdout.write(f"Published listings: {indexable_listings().count()}")
            self.stdout.write(f"Indexed listings: {backend.document_count()}")
            self.stdout.write(f"Indexed technology demands: {backend.demand_count()}")
            backlog = index_outbox_backlog()
            waited = f", the oldest for {backlog.oldest_age.total_seconds():.0f} s" if backlog.oldest_age else ""
            self.stdout.write(
                f"Waiting to be indexed: {backlog.waiting} ({backlog.failing} after a failed attempt{waited})"
            )

    def _show_progress(self, done: int, total: int) -> None:
        # Plain text on stderr with a carriage return, so stdout stays clean for scripts.
        share = done / total if total else 1.0
        filled = int(share * PROGRESS_BAR_WIDTH)
        bar = "#" * filled + "-" * (PROGRESS_BAR_WIDTH - filled)
        self.stderr.write(f"\rIndexing [{bar}] {done}/{total} ({share:.0%})", ending="")
        self.stderr.flush()
