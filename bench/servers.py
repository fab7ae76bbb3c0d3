"""Which ASGI server serves our own home page fastest: uvicorn, granian or daphne.

Each server runs one worker process with production settings on loopback; an asyncio client on the same
machine keeps N connections busy for a fixed time. The client shares the 2 cores, so absolute figures are
low; the ratios are what we chose by.
"""

import sys

from bench.common import Server, http_load, prepare_site, production_env, temporary_var_dir

SERVERS = {
    "uvicorn": lambda port: [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--port",
        str(port),
        "--no-access-log",
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--http",
        "httptools",
        "--loop",
        "uvloop",
    ],
    "granian": lambda port: [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--port",
        str(port),
        "--no-ws",
        "--log-level",
        "warning",
        "config.asgi:application",
    ],
    "daphne": lambda port: [sys.executable, "-m", "daphne", "-p", str(port), "config.asgi:application"],
}


def run(mode: str = "short") -> bool:
    seconds = 5 if mode == "short" else 20
    connections = 32
    env = production_env(temporary_var_dir("servers"))
    prepare_site(env)
    print(f"home page, {connections} connections, {seconds} s each, 1 worker, production settings, SQLite")
    print(f"{'server':10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    results = {}
    for offset, (name, command) in enumerate(SERVERS.items()):
        port = 8610 + offset
        with Server(command(port), env, port):
            result = http_load([f"http://127.0.0.1:{port}/"], connections=connections, seconds=seconds)
        results[name] = result
        print(
            f"{name:10} {result.throughput:8.0f} {result.p50:8.1f} {result.p95:8.1f} {result.errors:7d}",
            flush=True,
        )
    slowest = min(r.throughput for r in results.values()) or 1
    print("ratio to the slowest: " + ", ".join(f"{n} {r.throughput / slowest:.2f}x" for n, r in results.items()))
    return all(r.errors == 0 for r in results.values())
