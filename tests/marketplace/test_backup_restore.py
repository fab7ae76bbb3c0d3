"""The runbook's back-up and restore: what is backed up comes back, table by table and file by file, into a fresh
database — SQLite on the embedded default, PostgreSQL when the suite runs on it."""

import secrets
import sqlite3
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_target(tmp_path):
    """Where to restore: a PostgreSQL database that does not exist yet (dropped afterwards), or a new SQLite file."""
    if connection.vendor != "postgresql":
        yield {"sqlite": tmp_path / "restored.sqlite3"}, None
        return
    import psycopg

    database = connection.settings_dict
    name = f"{database['NAME']}_restore_{secrets.token_hex(3)}"
    host, port, user = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432, database.get("USER")
    url = f"postgres://{user}@{host}:{port}/{name}"
    yield {"database_url": url}, name
    with psycopg.connect(f"host={host} port={port} user={user} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _titles_in(target: dict, restored_name: str | None) -> set[str]:
    if "sqlite" in target:
        with sqlite3.connect(target["sqlite"]) as database:
            return {row[0] for row in database.execute("SELECT title FROM listings_listing")}
    import psycopg

    database = connection.settings_dict
    conninfo = f"host={database.get('HOST') or '127.0.0.1'} port={database.get('PORT') or 5432} "
    with psycopg.connect(conninfo + f"user={database.get('USER')} dbname={restored_name}") as restored:
        return {row[0] for row in restored.execute("SELECT title FROM listings_listing")}


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(world, media, fresh_target, tmp_path, capsys):
    ListingFactory(seller=world.university, title="备份里的石墨烯专利")
    # Production stores uploads on disk under MEDIA_ROOT (the tests' default storage is in memory).
    FileSystemStorage(location=media).save("attachments/说明书.pdf", ContentFile(b"%PDF-1.7 backed up"))
    target, restored_name = fresh_target

    # A temporary table of this session (the search rebuild loads its keys into one) is not the database's.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE session_scratch (n integer)")

    call_command("backup", str(tmp_path / "backups"))
    folder = Path(capsys.readouterr().out.strip())
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), media_root=str(restored_media), **target)

    report = capsys.readouterr().out
    assert "match the manifest" in report and " 1 files" in report
    assert "备份里的石墨烯专利" in _titles_in(target, restored_name)
    assert (restored_media / "attachments" / "说明书.pdf").read_bytes() == b"%PDF-1.7 backed up"


def test_a_restore_never_writes_over_a_database_or_files_already_there(world, media, fresh_target, tmp_path, capsys):
    ListingFactory(seller=world.university)
    target, _name = fresh_target
    call_command("backup", str(tmp_path / "backups"))
    folder = Path(capsys.readouterr().out.strip())
    call_command("restore", str(folder), media_root=str(tmp_path / "first"), **target)

    with pytest.raises(CommandError, match="exists|already has"):
        call_command("restore", str(folder), media_root=str(tmp_path / "second"), **target)
    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder), media_root=str(tmp_path / "occupied"), **target)


def test_a_folder_that_is_not_a_backup_is_refused_with_a_reason(tmp_path):
    with pytest.raises(CommandError, match="not a back-up"):
        call_command("restore", str(tmp_path), sqlite=str(tmp_path / "x.sqlite3"), media_root=str(tmp_path / "m"))
