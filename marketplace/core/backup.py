"""Back-up and restore of the whole platform: the database and the uploaded files, with a manifest that lets the
restore prove it brought everything back (every table's row count, every file's size and checksum).

PostgreSQL is dumped with pg_dump's custom format (consistent: one snapshot) and restored with pg_restore into an
empty database; SQLite through its online back-up API (consistent while the platform runs). Uploads are one
tar.gz of MEDIA_ROOT. `manage.py backup` and `manage.py restore` are the commands; the README's runbook says when.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A back-up or restore that cannot go on, with the reason for the operator."""


@dataclass(frozen=True)
class PostgresTarget:
    host: str
    port: str
    user: str
    password: str
    name: str

    @classmethod
    def from_url(cls, url: str) -> "PostgresTarget":
        parts = urlsplit(url)
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            name=parts.path.lstrip("/"),
        )

    @classmethod
    def from_settings(cls, database: dict) -> "PostgresTarget":
        return cls(
            host=database.get("HOST") or "127.0.0.1",
            port=str(database.get("PORT") or 5432),
            user=database.get("USER") or "postgres",
            password=database.get("PASSWORD") or "",
            name=database["NAME"],
        )

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
        }

    def conninfo(self, name: str | None = None) -> str:
        password = f" password={self.password}" if self.password else ""
        return f"host={self.host} port={self.port} user={self.user} dbname={name or self.name}{password}"


# --- Back-up ---------------------------------------------------------------------------------------------------


def backup(destination: Path) -> Path:
    """Write a back-up into a new folder under `destination`; return that folder."""
    folder = destination / timezone.now().strftime("backup-%Y%m%d-%H%M%S-%f")
    folder.mkdir(parents=True)
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        target = PostgresTarget.from_settings(database)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={folder / POSTGRES_DUMP}"]
            + [target.name],
            target.environment(),
        )
    elif connection.vendor == "sqlite":
        with sqlite3.connect(database["NAME"]) as source, sqlite3.connect(folder / SQLITE_COPY) as copy:
            source.backup(copy)
    else:
        raise BackupError(f"no back-up for the {connection.vendor} database")
    media = _media_files(Path(settings.MEDIA_ROOT))
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        for relative in media:
            archive.add(Path(settings.MEDIA_ROOT) / relative, arcname=relative)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "tables": _row_counts_here(),
        "media": media,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _media_files(root: Path) -> dict[str, dict]:
    if not root.exists():
        return {}
    files = sorted(path for path in root.rglob("*") if path.is_file())
    return {str(path.relative_to(root)): {"bytes": path.stat().st_size, "sha256": _sha256(path)} for path in files}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _row_counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "postgresql":
            # This session's temporary tables (the search rebuild loads keys into one) are listed too, and pg_dump
            # rightly leaves them out: count the tables of the database, not of the session.
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            permanent = {row[0] for row in cursor.fetchall()}
            tables = [table for table in tables if table in permanent]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    return counts


# --- Restore ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int


def restore(
    folder: Path, *, database_url: str = "", sqlite_path: Path | None = None, media_root: Path
) -> RestoreReport:
    """Restore the back-up in `folder` into an empty database (PostgreSQL: created if missing) and an empty media
    folder, then compare every table and file with the manifest. Refuses to write over anything."""
    manifest_file = folder / MANIFEST
    if not manifest_file.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a back-up")
    manifest = json.loads(manifest_file.read_text())
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore uploads into an empty folder")
    if manifest["engine"] == "postgresql":
        if not database_url:
            raise BackupError("a PostgreSQL back-up needs --database-url of the database to restore into")
        counts = _restore_postgres(folder, PostgresTarget.from_url(database_url), manifest["tables"])
    else:
        if sqlite_path is None:
            raise BackupError("an SQLite back-up needs --sqlite, the new database file")
        counts = _restore_sqlite(folder, sqlite_path, manifest["tables"])
    _compare("table", manifest["tables"], counts)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    _compare("file", manifest["media"], _media_files(media_root))
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=len(manifest["media"]))


def _restore_postgres(folder: Path, target: PostgresTarget, expected: dict[str, int]) -> dict[str, int]:
    import psycopg

    with psycopg.connect(target.conninfo("postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name]).fetchone():
            admin.execute(f'CREATE DATABASE "{target.name}"')
    with psycopg.connect(target.conninfo()) as database:
        existing = database.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if existing:
        raise BackupError(f"database {target.name} already has {existing} tables: restore into an empty one")
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={target.name}"]
        + [str(folder / POSTGRES_DUMP)],
        target.environment(),
    )
    with psycopg.connect(target.conninfo()) as database:
        return {
            table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - manifest names
            for table in expected
            if database.execute("SELECT to_regclass(%s)", [f'public."{table}"']).fetchone()[0]
        }


def _restore_sqlite(folder: Path, path: Path, expected: dict[str, int]) -> dict[str, int]:
    if path.exists():
        raise BackupError(f"{path} exists: restore into a new file")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / SQLITE_COPY, path)
    with sqlite3.connect(path) as database:
        present = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {
            table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - manifest names
            for table in expected
            if table in present
        }


def _compare(kind: str, expected: dict, found: dict) -> None:
    missing = sorted(set(expected) - set(found))
    different = sorted(name for name in set(expected) & set(found) if expected[name] != found[name])
    if missing or different:
        raise BackupError(f"the restore does not match the back-up: {kind}s missing {missing}, different {different}")


def _run(command: list[str], environment: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed: {finished.stderr.strip()[-2000:]}")
