"""`make run`'s server: localstripe, a task runner and uvicorn, started together and stopped together.

    python scripts/serve.py --prepare --host 127.0.0.1 --port 8000 --stripe-port 8420

With --prepare it first readies the site, one line per step, each step's output in VAR_DIR/logs/ (shown only
if the step fails): migrate, load the demo data once, fill the search index once. When the site answers it
prints the addresses, the demo accounts and what to try.

localstripe (through scripts/localstripe.py, its state and log in VAR_DIR/localstripe/) starts only when the
settings point the Stripe gateway at it, that is when STRIPE_API_BASE is not set to another address. Then a
task runner (`manage.py taskrunner`) and uvicorn, in the foreground. Ctrl-C or SIGTERM stops uvicorn; when
uvicorn has stopped, for whatever reason, the runner is asked to finish the tasks in hand and stop, then
localstripe stops. A runner that dies meanwhile is reported and the site goes on (/healthz says "degraded").

Each child runs in a session of its own, so that Ctrl-C reaches this script alone and the stop happens in
that order.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 30
STOP_SECONDS = 30


def say(text: str) -> None:
    print(f"[serve] {text}", flush=True)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - our own loopback address
            return True
    except (urllib.error.URLError, OSError):
        return False


PREPARE_STEPS = (
    ("Database", ["migrate", "--noinput"]),
    ("Demo data", ["seed_demo", "--if-empty"]),
    ("Search index", ["search_index", "rebuild", "--if-empty"]),
)


def prepare(env: dict[str, str], logs: Path) -> None:
    """The steps before serving, one line each; a failed step shows the end of its log and stops `make run`."""
    for number, (title, args) in enumerate(PREPARE_STEPS, start=1):
        log = logs / f"{args[0]}.log"
        print(f"[{number}/{len(PREPARE_STEPS)}] {title} …", end=" ", flush=True)
        started = time.monotonic()
        with log.open("w") as output:
            done = subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        if done.returncode != 0:
            print("failed")
            print("".join(log.read_text(errors="replace").splitlines(keepends=True)[-20:]), end="")
            sys.exit(f"{title} failed (exit {done.returncode}); the whole output is in {log}")
        print(f"done in {time.monotonic() - started:.0f} s")


def welcome(app_url: str, stripe_url: str | None, logs: Path) -> None:
    """What a newcomer needs once the site answers: where it is, who to log in as, what to try."""
    import django

    django.setup()
    from portal.demo.seed import ADMIN_PASSWORD, DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS

    width = max(len(user.email) for user in DEMO_USERS)
    lines = [
        "",
        f"浙江知识产权交易平台 · Zhejiang IP Exchange is running at {app_url}/",
        f"  CMS (policy news)   {app_url}/cms/        Django admin   {app_url}/django-admin/",
        f"  Public indicators   {app_url}/indicators/  Open API       {app_url}/api/v1/openapi.json",
    ]
    if stripe_url:
        lines.append(f"  Payments go to localstripe at {stripe_url} (test cards such as 4242 4242 4242 4242)")
    lines += ["", f"Demo accounts (password {DEMO_PASSWORD}; the administrator's is {ADMIN_PASSWORD}):"]
    for user in DEMO_USERS:
        lines.append(f"  {user.email:<{width}}  {user.name}")
    lines += [
        f"  Staff then type a code from an authenticator app with the key {DEMO_TOTP_SECRET},",
        "  or the one `.venv/bin/python manage.py demo_code` prints.",
        "",
        "What to try:",
        f"  1. Search 锂电池 or “graphene” at {app_url}/patents/ and narrow with the facets.",
        "  2. Log in as buyer@demo.ipx.cn, open a listing and enquire: the negotiation room is live.",
        "  3. In a second browser, log in as seller.zju@demo.ipx.cn and answer, then agree terms and sign.",
        f"  4. Watch the deal reach the public indicators at {app_url}/indicators/.",
        "",
        f"Logs: {logs}/   Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)


WELCOME_WAIT_SECONDS = 180  # a first start on a loaded machine takes its time; the welcome waits for the site


def wait_and_welcome(app_url: str, stripe_url: str | None, logs: Path, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + WELCOME_WAIT_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        if answers(f"{app_url}/healthz"):
            welcome(app_url, stripe_url, logs)
            return
        time.sleep(0.2)


def start(command: list[str], env: dict[str, str], log: Path | None = None) -> subprocess.Popen:
    output = log.open("a") if log is not None else None
    try:
        return subprocess.Popen(  # noqa: S603 - our own commands
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )
    finally:
        if output is not None:
            output.close()  # the child has its own copy


def stop(process: subprocess.Popen | None, what: str) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        say(f"{what} did not stop within {STOP_SECONDS} s; killing it")
        process.kill()
        process.wait()


def start_localstripe(settings, port: int, env: dict[str, str], app_url: str) -> subprocess.Popen:
    state_dir = Path(settings.VAR_DIR) / "localstripe"
    state_dir.mkdir(parents=True, exist_ok=True)
    base = settings.LOCALSTRIPE_URL
    ready = f"{base}/js.stripe.com/v3/"
    if answers(ready):
        # Another run's localstripe: sharing it would mix both runs' payments and webhooks.
        sys.exit(f"Port {port} already answers (another localstripe?). Choose another one: STRIPE_PORT=... make run")
    log = state_dir / "localstripe.log"
    command = [sys.executable, str(ROOT / "scripts" / "localstripe.py"), "--state-dir", str(state_dir)]
    process = start([*command, "--port", str(port)], env, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not answers(ready):
        if time.monotonic() > deadline:
            stop(process, "localstripe")
            sys.exit(f"localstripe did not answer on port {port} within {STARTUP_SECONDS} s; see {log}")
        try:
            process.wait(timeout=0.1)  # between two tries: returns at once if it exited
        except subprocess.TimeoutExpired:
            continue
        sys.exit(f"localstripe exited with {process.returncode}; see {log}")
    # localstripe keeps webhook endpoints in memory: register ours with every new server.
    data = urllib.parse.urlencode(
        {"url": f"{app_url}/payments/webhooks/stripe/", "secret": settings.STRIPE_WEBHOOK_SECRET}
    )
    with urllib.request.urlopen(f"{base}/_config/webhooks/dev", data=data.encode(), timeout=5):  # noqa: S310
        pass
    say(f"localstripe at {base} (state and log in {state_dir}), webhooks to {app_url}")
    return process


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stripe-port", type=int, default=8420)
    parser.add_argument("--prepare", action="store_true", help="migrate, load the demo data and index first")
    args = parser.parse_args()

    app_url = f"http://{args.host}:{args.port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["STRIPE_PORT"] = str(args.stripe_port)
    os.environ.setdefault("SITE_URL", app_url)
    env = dict(os.environ)
    sys.path.insert(0, str(ROOT))
    from django.conf import settings  # the settings module alone: where localstripe is, the webhook secret

    logs = Path(settings.VAR_DIR) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if args.prepare:
        prepare(env, logs)
    localstripe = runner = server = None
    try:
        if getattr(settings, "LOCALSTRIPE_URL", None) == settings.STRIPE_API_BASE:
            localstripe = start_localstripe(settings, args.stripe_port, env, app_url)
        else:
            say(f"Stripe at {settings.STRIPE_API_BASE or 'api.stripe.com'}: not starting localstripe")
        # The runner logs every task it runs: to its own file, so the terminal keeps what a person needs to read.
        runner = start([sys.executable, "manage.py", "taskrunner"], env, logs / "taskrunner.log")
        say(f"Task runner started (its log: {logs / 'taskrunner.log'})")
        say(f"Serving on {app_url} (HTTP and WebSocket)")
        server = start(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", args.host]
            + ["--port", str(args.port), "--ws", "websockets", "--lifespan", "off", "--no-access-log"],
            env,
        )
        if args.prepare:
            stripe_url = settings.LOCALSTRIPE_URL if localstripe is not None else None
            wait_and_welcome(app_url, stripe_url, logs, server)

        def forward(signum, frame):
            if server.poll() is None:
                server.send_signal(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        names = {server.pid: "uvicorn", runner.pid: "the task runner"}
        if localstripe is not None:
            names[localstripe.pid] = "localstripe"
        while True:
            pid, status = os.wait()  # whichever child ends first
            if pid == server.pid:
                server.returncode = os.waitstatus_to_exitcode(status)
                return server.returncode
            if pid in names:
                say(f"{names[pid]} stopped (exit {os.waitstatus_to_exitcode(status)}); the site goes on without it")
                for process in (runner, localstripe):
                    if process is not None and process.pid == pid:
                        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
        stop(server, "uvicorn")
        stop(runner, "the task runner")
        stop(localstripe, "localstripe")
        say("stopped")


if __name__ == "__main__":
    sys.exit(main())
