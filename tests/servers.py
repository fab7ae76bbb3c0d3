"""Real servers the tests start and speak to: localstripe for payments, uvicorn for browser journeys and outage
tests, a private Redis that a test may stop and start again."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.common import ROOT

STARTUP_SECONDS = 30
LOG_TAIL_CHARS = 4_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(reason: str, needed_for: str):
    """Skip on a laptop without the tool; fail under CI (the CI variable is set), where a check that cannot run
    must not pass silently."""
    import pytest

    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason}: {needed_for} must run in CI")
    pytest.skip(reason)


def tail(path: Path) -> str:
    return path.read_text(errors="replace")[-LOG_TAIL_CHARS:] if path.exists() else ""


def localstripe_command(port: int, state_dir: Path) -> list[str]:
    """localstripe (a dev dependency) on `port`, through our wrapper: with none of the state a previous run left
    behind, and its own state file in `state_dir` (localstripe's own is one file in /tmp for every run)."""
    return [sys.executable, str(ROOT / "scripts" / "localstripe.py"), "--port", str(port)] + [
        "--state-dir",
        str(state_dir),
        "--from-scratch",
    ]


def localstripe_ready_url(url: str) -> str:
    # Its Stripe.js stand-in: served once the server is up.
    return f"{url}/js.stripe.com/v3/"


def _wait_until_up(process: subprocess.Popen, url: str, log: Path, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    answer = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{tail(log)}")
        try:
            response = httpx.get(url, timeout=2)
        except httpx.HTTPError as error:
            answer = str(error)
        else:
            if response.status_code == 200:
                return
            answer = f"{response.status_code} {response.text[:1000]}"
        time.sleep(0.25)
    raise RuntimeError(f"{what} did not answer {url} within {STARTUP_SECONDS} s ({answer}):\n{tail(log)}")


@contextmanager
def running(
    command: list[str], *, env: dict[str, str], log: Path, ready_url: str | None, what: str
) -> Iterator[subprocess.Popen]:
    """A server in its own process group, up once `ready_url` answers 200 (at once when it has no address, as a
    task runner), and stopped (with everything it started) on the way out."""
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own dev dependencies
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            if ready_url is not None:
                _wait_until_up(process, ready_url, log, what)
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


class PrivateRedis:
    """A redis-server of the test's own on a free port, keeping nothing on disk, that the test may stop and start
    again on the same port (as an outage and its end)."""

    def __init__(self, directory: Path):
        executable = shutil.which("redis-server")
        if executable is None:
            unavailable("redis-server is not installed", "the Redis outage tests")
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.log = directory / "redis.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        command = [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.directory)]
        with self.log.open("a") as output:
            self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server
                command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}:\n{tail(self.log)}")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
