from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a back-up folder into an empty database (PostgreSQL: --database-url, created if missing; SQLite: "
        "--sqlite, a new file) and an empty media folder, then check every table and file against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--database-url", default="", help="postgres://user@host:5432/new_database")
        parser.add_argument("--sqlite", type=Path, help="the new SQLite database file")
        parser.add_argument("--media-root", type=Path, default=None, help="default: MEDIA_ROOT (must be empty)")

    def handle(self, *args, folder: Path, database_url: str, sqlite: Path | None, media_root: Path | None, **options):
        try:
            report = restore(
                Path(folder),
                database_url=database_url,
                sqlite_path=Path(sqlite) if sqlite else None,
                media_root=Path(media_root or settings.MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored and checked: {report.tables} tables, {report.rows} rows, {report.files} files match the manifest"
        )
