"""A throwaway site for tests that run the platform as it runs in production: its own VAR_DIR, its own
PostgreSQL database when DATABASE_URL is set, migrated and seeded by the site's own commands. The browser
journeys, the payment crash tests and the outage tests each build one and start servers on it."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT
from tests.servers import tail

DEFAULT_STEPS = (
    ["compile_translations"],
    ["migrate", "--noinput"],
    ["seed_demo", "--if-empty"],
    ["search_index", "rebuild"],
)


@contextmanager
def throwaway_database(suffix: str) -> Iterator[str | None]:
    """On PostgreSQL, a database of the site's own beside the test database (never the one the tests or a
    developer use), created empty and dropped afterwards. On the embedded default: None (SQLite in VAR_DIR)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg
    from django.conf import settings
    from psycopg import sql

    name = f"{settings.DATABASES['default']['TEST']['NAME']}_{suffix}"
    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))

    def drop(conn) -> None:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    with psycopg.connect(maintenance, autocommit=True) as conn:
        drop(conn)  # left over by an interrupted run
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            drop(conn)


def manage(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    with log.open("w") as output:  # the child keeps its own copy of the file descriptor
        return subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def finish(process: subprocess.Popen, log: Path, what: str) -> None:
    if process.wait() != 0:
        raise RuntimeError(f"{what} failed (exit {process.returncode}):\n{tail(log)}")


def prepare(env: dict[str, str], var_dir: Path, steps=DEFAULT_STEPS, *, collectstatic: bool = True) -> None:
    """What setup and a deployment do before serving. collectstatic needs no database: it runs alongside."""
    logs = var_dir / "logs"
    logs.mkdir(exist_ok=True)
    static = manage(env, logs / "collectstatic.log", "collectstatic", "--noinput") if collectstatic else None
    try:
        for args in steps:
            log = logs / f"{args[0]}.log"
            finish(manage(env, log, *args), log, " ".join(args))
    finally:
        if static is not None:
            finish(static, logs / "collectstatic.log", "collectstatic")


def uvicorn_command(port: int, *, workers: int = 1) -> list[str]:
    """As the Makefile's run target serves it."""
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--ws", "websockets", "--lifespan", "off"]
    return command + (["--workers", str(workers)] if workers > 1 else [])


def taskrunner_command(name: str) -> list[str]:
    return [sys.executable, "manage.py", "taskrunner", "--worker-id", name, "--delay", "0.1"]
