"""Pages: what the public pages cost, as a share of a bare Django view served by the same server in the same run.

uvicorn (2 workers, production settings) on PostgreSQL + Redis when DATABASE_URL and REDIS_URL are given,
otherwise SQLite and local memory; the demo data seeded and indexed. wrk (a C load tool, installed by `.ci/run`
from Debian's packages; `apt-get install wrk` by hand) keeps C connections busy on one page at a time for a fixed
time, rotating through the page's addresses, and reports requests per second and p95 latency. The bare view is
/healthz/live: the whole middleware stack and nothing else. Prints one line per page,

    pages <name> rps=<n> p95_ms=<n> ratio=<r>

and a last line `pages min_ratio=<r>` (the goal of issue #21: ≥ 0.30, with 0 errors).

The figures are for a site in its steady state: before a page is measured, each of its addresses is asked for
once, as visitors before the measurement would have. What a first visit costs, when nobody asked for the page
since it last changed, is printed apart as `pages detail_cold ...` (up to 300 more listings' pages, each asked for
once, one at a time); it is not in min_ratio.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.common import ROOT, Server, scratch_site

MODES = {
    "short": {"listings": 500, "connections": 32, "seconds": 5},
    "full": {"listings": 3000, "connections": 64, "seconds": 20},
}
PORT = 8650
GOAL = 0.30
SEARCH_WORDS = ["锂电池", "石墨烯", "传感器", "固态电解质", "图像识别", "中药", "储能 电池", "智能 传感器"]
FACETS = ["mode=licence", "mode=transfer", "patent_type=invention", "city=hangzhou", "ipc_section=H", "sort=newest"]

# wrk takes the next path from the list for each request, and prints p95 and the error count at the end.
WRK_SCRIPT = """
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format("P95_US=%%d ERRORS=%%d\\n", latency:percentile(95.0), errors))
end
"""


def run(mode: str = "short") -> bool:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    sizes = MODES[mode]
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    with scratch_site("pages", listings=sizes["listings"], database_url=database_url, redis_url=redis_url) as env:
        detail_ids = _listing_ids(env)
        print(
            f"site: {sizes['listings']} listings, {'PostgreSQL' if database_url else 'SQLite'}"
            f"{' + Redis' if redis_url else ''}; uvicorn 2 workers; wrk {sizes['connections']} connections, "
            f"{sizes['seconds']} s per page; load before {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        workers = "2" if database_url else "1"  # SQLite's writers (sessions, counters) do not want two processes
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
        command += ["--port", str(PORT), "--workers", workers, "--no-access-log", "--lifespan", "off"]
        server = Server(command, env, PORT)
        with server:
            passed = _measure(detail_ids, sizes)
        _print_log_summary(server)
        return passed


def _listing_ids(env: dict[str, str]) -> list[int]:
    code = (
        "import django; django.setup(); from listings.selectors import listings_on_market; "
        "print(' '.join(str(pk) for pk in listings_on_market().values_list('pk', flat=True)[:600]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return [int(pk) for pk in out.stdout.split()]


def _pages(detail_ids: list[int]) -> dict[str, list[str]]:
    rng = random.Random(21)
    words = [word.replace(" ", "+") for word in SEARCH_WORDS]
    return {
        "bare": ["/healthz/live"],
        "home": ["/"],
        "finder": ["/patents/"] + [f"/patents/?{facet}" for facet in FACETS] + [f"/patents/?page={n}" for n in (2, 3)],
        "finder_keyword": [f"/patents/?q={word}" for word in words]
        + [f"/patents/?q={word}&{rng.choice(FACETS)}" for word in words],
        "detail": [f"/patents/{pk}/" for pk in detail_ids[:300]],
        "detail_cold": [f"/patents/{pk}/" for pk in detail_ids[300:]],
    }


def _wrk(paths: list[str], connections: int, seconds: int) -> tuple[float, float, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        # wrk's URL parser takes ASCII only: the Chinese words go percent-encoded, as a browser sends them.
        quoted = (quote(path, safe="/?=&+") for path in paths)
        script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in quoted)})
    try:
        finished = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, f"http://127.0.0.1:{PORT}/"],
            capture_output=True,
            text=True,
        )
        if finished.returncode != 0:
            raise RuntimeError(f"wrk failed: {finished.stdout}{finished.stderr}")
        out = finished.stdout
    finally:
        Path(script.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p95_us, errors = (int(value) for value in re.search(r"P95_US=(\d+) ERRORS=(\d+)", out).groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p95_us / 1000, errors + (int(non_2xx.group(1)) if non_2xx else 0)


def _measure(detail_ids: list[int], sizes: dict) -> bool:
    pages = _pages(detail_ids)
    with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client:
        for name, paths in pages.items():  # every address once, as earlier visitors would have (not the cold ones)
            for path in paths if name != "detail_cold" else ():
                client.get(path)
    bare_rps, bare_p95, bare_errors = _wrk(pages["bare"], sizes["connections"], sizes["seconds"])
    print(f"pages bare rps={bare_rps:.1f} p95_ms={bare_p95:.0f} ratio=1.00", flush=True)
    ratios, errors = [], bare_errors
    for name in ("home", "finder", "finder_keyword", "detail"):
        rps, p95, failed = _wrk(pages[name], sizes["connections"], sizes["seconds"])
        ratio = rps / bare_rps if bare_rps else 0.0
        ratios.append(ratio)
        errors += failed
        failures = f" errors={failed}" if failed else ""
        print(f"pages {name} rps={rps:.1f} p95_ms={p95:.0f} ratio={ratio:.2f}{failures}", flush=True)
    if pages["detail_cold"]:
        # One connection, each page asked for the first time: what rendering a listing's page costs.
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client:
            times = []
            for path in pages["detail_cold"]:
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
        print(f"pages detail_cold pages={len(times)} p50_ms={p50:.1f} p95_ms={p95:.1f} (first visits, one at a time)")
    print(f"pages min_ratio={min(ratios):.2f}")
    print(f"load after {os.getloadavg()[0]:.2f}; errors {errors}", flush=True)
    return min(ratios) >= GOAL and errors == 0


def _print_log_summary(server: Server) -> None:
    """What the server complained about while loaded (a Redis time-out, a traceback): counted, never hidden."""
    lines = [line for line in server.log_text().splitlines() if " WARNING " in line or " ERROR " in line]
    Path(server.log.name).unlink(missing_ok=True)
    if lines:
        print(f"server log: {len(lines)} warning/error line(s), e.g. {lines[-1][:200]}")
