"""Real servers the tests start and speak to over HTTP: localstripe for payments, uvicorn for browser journeys."""

import os
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
