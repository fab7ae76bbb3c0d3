"""What `make run` starts (scripts/serve.py) and the localstripe wrapper (scripts/localstripe.py): addresses from
the environment, a task runner beside uvicorn stopped with it, localstripe's state in the run's own folder."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from stripe import StripeClient

from bench.common import ROOT
from tests.servers import free_port, localstripe_command, localstripe_ready_url, running, tail
from tests.sites import prepare

DEADLINE_SECONDS = 60


def dev_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The development settings on a folder of the test's own: SQLite there, in-memory layer, whatever the
    suite itself runs on (this is about processes, not databases)."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING"})
    env.update(extra)
    return env


def processes_with(variable: str) -> list[int]:
    """Processes whose environment holds `variable` (a VAR_DIR=... of the test's own): what a run left behind."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if variable.encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def poll(condition, what: str, log: Path, seconds: float = DEADLINE_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s:\n{tail(log)}")


def answers(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=2)
    except httpx.HTTPError:
        return None


def serve(env: dict[str, str], log: Path, *, port: int, stripe_port: int, prepare: bool = False) -> subprocess.Popen:
    command = [sys.executable, "scripts/serve.py", "--port", str(port), "--stripe-port", str(stripe_port)]
    command += ["--prepare"] if prepare else []
    with log.open("w") as output:
        return subprocess.Popen(  # noqa: S603 - our own script
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc to find what a run left behind")
def test_make_run_serves_on_its_ports_with_a_runner_and_stops_everything_with_uvicorn(tmp_path):
    env = dev_env(tmp_path)
    prepare(env, tmp_path, steps=(["migrate", "--noinput"],), collectstatic=False)
    port, stripe_port = free_port(), free_port()
    log = tmp_path / "serve.log"
    process = serve(env, log, port=port, stripe_port=stripe_port)
    try:

        def runner_alive():
            response = answers(f"http://127.0.0.1:{port}/healthz")
            return response is not None and response.json()["checks"]["task_runner"]["status"] == "ok"

        poll(runner_alive, "uvicorn did not report a live task runner", log)
        assert answers(localstripe_ready_url(f"http://127.0.0.1:{stripe_port}")).status_code == 200
        assert (tmp_path / "localstripe" / "localstripe.log").exists()
        # The dev settings point the gateway at this run's localstripe, not at 8420.
        client = StripeClient("sk_test_localstripe", base_addresses={"api": f"http://127.0.0.1:{stripe_port}"})
        client.v1.customers.create(params={"email": "buyer@example.cn"})
        assert (tmp_path / "localstripe" / "localstripe.pickle").exists()
        assert len(processes_with(f"VAR_DIR={tmp_path}")) >= 4  # serve.py, localstripe, the runner, uvicorn
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        process.wait(timeout=DEADLINE_SECONDS)
    assert "[serve] stopped" in log.read_text()
    assert processes_with(f"VAR_DIR={tmp_path}") == []
    assert answers(f"http://127.0.0.1:{port}/healthz/live") is None


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc to find what a run left behind")
def test_make_run_prepares_the_site_in_a_few_lines_and_then_says_where_it_is_and_who_to_log_in_as(tmp_path):
    env = dev_env(tmp_path)
    port, stripe_port = free_port(), free_port()
    log = tmp_path / "serve.log"
    process = serve(env, log, port=port, stripe_port=stripe_port, prepare=True)
    try:
        # Migrating, seeding and indexing a fresh site come first: minutes on a loaded machine.
        poll(
            lambda: "Ctrl-C stops everything" in log.read_text(), "no welcome once the site answered", log, seconds=300
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=DEADLINE_SECONDS)
    printed = log.read_text()
    for step in ("[1/3] Database … done", "[2/3] Demo data … done", "[3/3] Search index … done"):
        assert step in printed
    assert f"is running at http://127.0.0.1:{port}/" in printed
    assert "buyer@demo.ipx.cn" in printed and "demo-2026" in printed and "What to try:" in printed
    # Each step's and the runner's output is in the logs, not on the screen: a few dozen lines, not thousands.
    assert "Applying " not in printed and "dbtasks.runner" not in printed
    assert len(printed.splitlines()) < 60
    assert "Applying " in (tmp_path / "logs" / "migrate.log").read_text()
    assert (tmp_path / "logs" / "taskrunner.log").exists()


def test_make_run_refuses_a_stripe_port_another_localstripe_holds(tmp_path):
    stripe_port = free_port()
    other = tmp_path / "other-run"
    with running(
        localstripe_command(stripe_port, other),
        env=dict(os.environ),
        log=tmp_path / "other.log",
        ready_url=localstripe_ready_url(f"http://127.0.0.1:{stripe_port}"),
        what="localstripe",
    ):
        log = tmp_path / "serve.log"
        process = serve(dev_env(tmp_path / "site"), log, port=free_port(), stripe_port=stripe_port)
        assert process.wait(timeout=DEADLINE_SECONDS) != 0
    assert f"Port {stripe_port} already answers" in log.read_text()


def test_the_dev_settings_read_stripe_port(tmp_path):
    code = "from django.conf import settings; print(settings.STRIPE_API_BASE, settings.STRIPE_JS_URL)"
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=dev_env(tmp_path, STRIPE_PORT="8431"),
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
    )
    assert result.stdout.split() == ["http://127.0.0.1:8431", "http://127.0.0.1:8431/js.stripe.com/v3/"], result.stderr


def test_localstripe_keeps_its_state_in_the_folder_it_is_given(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, str(ROOT / "scripts" / "localstripe.py"), "--state-dir", str(tmp_path), "--port"]
    client = StripeClient("sk_test_localstripe", base_addresses={"api": url})
    server = {"env": dict(os.environ), "ready_url": localstripe_ready_url(url), "what": "localstripe"}
    with running([*command, str(port)], log=tmp_path / "first.log", **server):
        customer = client.v1.customers.create(params={"email": "kept@example.cn"})
    assert (tmp_path / "localstripe.pickle").exists()
    with running([*command, str(port)], log=tmp_path / "second.log", **server):
        assert client.v1.customers.retrieve(customer.id).email == "kept@example.cn"
    with running([*command, str(port), "--from-scratch"], log=tmp_path / "third.log", **server):
        assert [c.id for c in client.v1.customers.list().data] == []
