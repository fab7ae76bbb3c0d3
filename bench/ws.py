"""WebSocket delivery while the public pages are under load: K clients in R negotiation rooms on the production
ASGI server (uvicorn, 2 workers, PostgreSQL + Redis when DATABASE_URL and REDIS_URL are given), one sender per
room, while wrk keeps the page mix of `bench/pages.py` busy on the same server. Prints

    ws clients=<K> p95_ms=<n> lost=<n>

(the goal of issue #21: 500 clients in 100 rooms, p95 ≤ 250 ms, 0 lost), and the page load's own figures beside it.
The socket clients, wrk and the server share this machine's cores, so the figure is pessimistic.
"""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from bench import load, pages
from bench.common import Server, scratch_site

MODES = {
    "short": {"listings": 500, "rooms": 20, "clients": 100, "messages": 5, "interval": 1.0, "connections": 16},
    "full": {"listings": 3000, "rooms": 100, "clients": 500, "messages": 10, "interval": 2.0, "connections": 64},
}
GOAL_P95_MS = 250


def run(mode: str = "short") -> bool:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    sizes = MODES[mode]
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (database_url and redis_url):
        raise RuntimeError("bench/ws needs DATABASE_URL and REDIS_URL: sockets of several workers meet in Redis")
    with scratch_site("ws", listings=sizes["listings"], database_url=database_url, redis_url=redis_url) as env:
        setup = load._create_rooms(env, sizes["rooms"])
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
        command += ["--port", str(load.PORT), "--workers", "2", "--ws", "websockets", "--no-access-log"]
        command += ["--lifespan", "off"]
        with Server(command, env, load.PORT):
            return _measure(setup, sizes)


def _page_load(detail_ids: list[int], connections: int, seconds: int) -> tuple[subprocess.Popen, Path]:
    """wrk on the page mix, in the background, for as long as the sockets need."""
    paths = [path for name, group in pages._pages(detail_ids).items() if name != "bare" for path in group]
    quoted = (quote(path, safe="/?=&+") for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(pages.WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in quoted)})
    process = subprocess.Popen(  # noqa: S603
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, f"http://127.0.0.1:{load.PORT}/"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, Path(script.name)


def _measure(setup: dict, sizes: dict) -> bool:
    per_room = max(2, sizes["clients"] // sizes["rooms"])
    seconds = int(sizes["messages"] * sizes["interval"] + 60)  # longer than the sockets need; stopped after them
    wrk, script = _page_load(setup["listings"], sizes["connections"], seconds)
    try:
        result = asyncio.run(load._ws_load(setup, per_room, sizes["messages"], sizes["interval"]))
    finally:
        wrk.send_signal(signal.SIGINT)  # wrk stops and prints what it measured so far
        page_output = wrk.communicate()[0]
        script.unlink()
    expected = sizes["rooms"] * sizes["messages"] * (per_room - 1)
    delivered = sum(len(receivers) for receivers in result.received.values())
    lost = expected - delivered
    p95 = load._percentile(result.latencies_ms, 0.95)
    print(f"ws clients={result.connected} p95_ms={p95:.0f} lost={lost}")
    print(
        f"  {sizes['rooms']} rooms, {sizes['messages']} messages per room; "
        f"p50 {load._percentile(result.latencies_ms, 0.5):.0f} ms; failures {sum(result.failures.values())}; "
        "page load meanwhile: " + " ".join(line.strip() for line in page_output.splitlines() if "Requests/sec" in line)
    )
    print(
        f"  split at the server's store: frame in -> stored p50 {load._percentile(result.inbound_ms, 0.5):.0f} / "
        f"p95 {load._percentile(result.inbound_ms, 0.95):.0f} ms; stored -> received p50 "
        f"{load._percentile(result.outbound_ms, 0.5):.0f} / p95 {load._percentile(result.outbound_ms, 0.95):.0f} ms"
    )
    for failure, count in result.failures.most_common(5):
        print(f"  failure: {failure} x{count}")
    return lost == 0 and not result.failures and p95 <= GOAL_P95_MS
