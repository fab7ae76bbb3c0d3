"""`seed_demo --listings N`: how fast the demo reaches N listings (short: 20,000; full: 1,000,000).

Each run starts from an empty, migrated database: SQLite in a throwaway VAR_DIR, and, when DATABASE_URL is set,
a throwaway PostgreSQL database created next to the one it names and dropped afterwards. The seed runs as an
operator would run it (production settings, `manage.py seed_demo`, Django start-up included); its progress lines
are shown as they come. The figures: wall seconds and listings per second; the CPU seconds of the seeding
processes and the machine's load average, since the benchmark shares its cores with whatever else runs; the peak
memory of the seeding process; and a second run, which must create nothing.
"""

import os
import re
import shutil
import subprocess
import sys
import time

from bench.common import ROOT, production_env, scratch_database, temporary_var_dir

LISTINGS = {"short": 20_000, "full": 1_000_000}


def run(mode: str = "short") -> bool:
    count = LISTINGS[mode]
    results = [_bench_sqlite(count)]
    if os.environ.get("DATABASE_URL"):
        results.append(_bench_postgresql(count, os.environ["DATABASE_URL"]))
    return all(results)


def _bench_sqlite(count: int) -> bool:
    var_dir = temporary_var_dir("seed")
    try:
        env = production_env(var_dir)
        env.pop("DATABASE_URL", None)
        return _measure("SQLite", env, count)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _bench_postgresql(count: int, url: str) -> bool:
    var_dir = temporary_var_dir("seed-pg")
    try:
        with scratch_database(url, "bench_seed") as scratch_url:
            return _measure("PostgreSQL", production_env(var_dir, DATABASE_URL=scratch_url), count)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _measure(backend: str, env: dict[str, str], count: int) -> bool:
    _manage(env, "migrate", "--noinput")
    load_before = os.getloadavg()[0]
    print(f"{backend}: seed_demo --listings {count:,} (load average {load_before:.1f}, {os.cpu_count()} cores)")
    started = time.monotonic()
    seed = subprocess.Popen(
        [sys.executable, "manage.py", "seed_demo", "--listings", str(count)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert seed.stdout is not None
    for line in seed.stdout:
        print(f"  {line.rstrip()}", flush=True)
    # wait4 rather than wait: it also reports the seeding process's own peak memory.
    _pid, status, usage = os.wait4(seed.pid, 0)
    seed.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    peak_mb = usage.ru_maxrss / 1024
    # CPU time (with the worker processes it waited for) reads the same however busy the machine is.
    cpu_seconds = usage.ru_utime + usage.ru_stime
    if seed.returncode != 0:
        print(f"{backend}: seed_demo failed with exit code {seed.returncode}")
        return False
    stored = int(_manage(env, "shell", "-c", "from listings.models import Listing; print(Listing.objects.count())"))
    print(
        f"{backend}: {stored:,} listings in {seconds:.0f} s = {count / seconds:,.0f} listings/s "
        f"({cpu_seconds:,.0f} CPU s in the seeding processes; peak memory {peak_mb:,.0f} MB; "
        f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    again_started = time.monotonic()
    output = _manage(env, "seed_demo", "--listings", str(count))
    created_again = int(re.search(r"\((\d+) created", output).group(1))
    print(f"{backend}: run again in {time.monotonic() - again_started:.0f} s, {created_again} created", flush=True)
    return stored == count and created_again == 0


def _manage(env: dict[str, str], *args: str) -> str:
    finished = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return finished.stdout.strip().splitlines()[-1] if finished.stdout.strip() else ""


if __name__ == "__main__":
    sys.exit(0 if run(sys.argv[1] if len(sys.argv) > 1 else "short") else 1)
