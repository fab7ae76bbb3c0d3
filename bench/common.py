"""Helpers shared by the benchmarks: a prepared site on disk, a server process, and an HTTP load loop."""

import asyncio
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """Production settings on loopback for a throwaway site: plain HTTP, SQLite in var_dir unless DATABASE_URL
    is set, and the demo data allowed (seed_demo refuses production settings otherwise)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
            # A throwaway site: seed_demo may create its accounts with the published passwords.
            "DEMO_DATA_ALLOWED": "true",
        }
    )
    env.update(extra)
    return env


def prepare_site(env: dict[str, str]) -> None:
    for args in (["migrate", "--noinput"], ["seed_demo", "--if-empty"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def temporary_var_dir(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))


@contextmanager
def scratch_database(url: str, name: str) -> Iterator[str]:
    """A throwaway PostgreSQL database on the server `url` names, dropped afterwards: yields its URL."""
    import psycopg

    parts = urlsplit(url)
    database = f"{parts.path.lstrip('/') or 'ipmarket'}_{name}_{secrets.token_hex(3)}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{database}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def scratch_site(name: str, *, listings: int, database_url: str | None, redis_url: str | None) -> Iterator[dict]:
    """A throwaway site with production settings, `listings` demo listings and its search index built, removed
    afterwards: SQLite in a temporary folder, or a scratch database beside `database_url`'s; the Redis channel
    layer and cache when `redis_url` is given, local memory otherwise. Yields the environment to run it in."""
    var_dir = temporary_var_dir(name)
    try:
        with scratch_database(database_url, name) if database_url else nullcontext() as scratch_url:
            env = production_env(var_dir)
            for key, value in (("DATABASE_URL", scratch_url), ("REDIS_URL", redis_url)):
                if value:
                    env[key] = value
                else:
                    env.pop(key, None)
            _prepare(env, listings)
            yield env
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _prepare(env: dict[str, str], listings: int) -> None:
    # collectstatic touches no database: it runs beside the migrations and the seeding.
    manage = [sys.executable, "manage.py"]
    static = subprocess.Popen([*manage, "collectstatic", "--noinput"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        for args in (["migrate", "--noinput"], ["seed_demo", "--listings", str(listings)], ["search_index", "rebuild"]):
            subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    finally:
        if static.wait() != 0:
            raise RuntimeError("collectstatic failed")


class Server:
    """A server process started in its own process group and stopped with it."""

    def __init__(self, command: list[str], env: dict[str, str], port: int):
        self.command, self.env, self.port = command, env, port
        self.process: subprocess.Popen | None = None
        # The server's log goes to a file: a pipe nobody reads while it runs fills up (64 KB) and then blocks the
        # server in the middle of a request, which a benchmark would report as slowness and time-outs.
        self.log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)  # noqa: SIM115

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(  # noqa: S603
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code in (200, 503):
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"server did not start: {' '.join(self.command)}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95(self) -> float:
        return self.percentile(0.95)


async def _load(urls: list[str], connections: int, seconds: float, warmup: float) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    count = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        warm_end = time.monotonic() + warmup
        while time.monotonic() < warm_end:
            await asyncio.gather(*(client.get(urls[i % len(urls)]) for i in range(connections)))
        stop_at = time.monotonic() + seconds

        async def worker(offset: int) -> None:
            nonlocal errors, count
            index = offset
            while time.monotonic() < stop_at:
                url = urls[index % len(urls)]
                index += connections
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    ok = response.status_code < 400
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                count += 1
                errors += 0 if ok else 1

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(connections)))
        elapsed = time.monotonic() - started
    return LoadResult(requests=count, errors=errors, seconds=elapsed, latencies_ms=latencies)


def http_load(urls: list[str], *, connections: int, seconds: float, warmup: float = 1.0) -> LoadResult:
    return asyncio.run(_load(urls, connections, seconds, warmup))
