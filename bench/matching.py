"""Two-way matching of demands and listings (issue 24): quality on the judged set, a full run through the task
runner, and one publication's matching.

Prints exactly:

    matching precision_at_5=<p> recall_at_20=<r> pairs=<n> baseline_precision_at_5=<b>
    matching full_run_s=<s>
    matching single_publish_s=<s>

- Quality: a throwaway site with the demo data (seed_demo's first 500 listings, indexed); the judged demands of
  tests/matching/judged_demands.json are posted by a firm that sells nothing and matched through the service.
  precision@5: of the matches a demand shows in its first five (one per family of near-identical listings, none
  below the shown threshold), the share judged relevant; a demand with relevant listings that shows none counts
  0. recall@20: of the technologies judged relevant, the share with a listing among the first 20 shown (a family
  shows one listing; the page says how many near-identical ones it stands for). The baseline is plain TF-IDF over
  the search segmenter's tokens (cosine of demand and listing vectors, no vocabulary, no threshold, no families):
  its precision@5 is over its first five listings of non-zero score. The nothing-relevant demands must show
  nothing.
- Full run: the site grows to --listings listings (reindexed), --demands demands (the judged texts with their city
  and field varied) are published, and one `matching.tasks.refresh_demand_matches` per demand is queued; a task
  runner (`manage.py taskrunner`) works through them: the wall time from its start until the last is done. The
  issue asks for 10,000 demands × 100,000 listings on PostgreSQL (--database-url, `--mode full`).
- Single publication: the matching a demand's and a listing's publication cost on the runner (the service the
  task calls), p95 of ten of each. Target ≤ 1 s.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter

from bench.common import ROOT, scratch_database, temporary_var_dir

JUDGED = ROOT / "tests" / "matching" / "judged_demands.json"
SIZES = {"short": {"listings": 2_000, "demands": 200}, "full": {"listings": 100_000, "demands": 10_000}}
QUALITY_LISTINGS = 500  # the judged set names listings of seed_demo's first 500
TARGET_SINGLE_S = 1.0
EVALUATION_FIRM = "评测用需求企业（matching benchmark）"


def load_judged() -> dict:
    return json.loads(JUDGED.read_text())


# --- The evaluation (also run by tests/matching/test_matching_quality.py) ------------------------------------


def evaluation_firm():
    """A verified firm that sells nothing, to post the judged demands."""
    from marketplace.centres.models import OperationCentre
    from marketplace.organisations.models import Organisation

    root = OperationCentre.objects.get(is_root=True)
    firm, _ = Organisation.objects.get_or_create(
        credit_code="91330100MA2EVAL01X",
        defaults={"name": EVALUATION_FIRM, "kind": "enterprise", "city": "hangzhou", "centre": root, "verified": True},
    )
    return firm


def post_demand(firm, entry: dict):
    """A published demand of the judged set (rows written directly: the benchmark measures matching, not the
    moderation the demands' own tests cover)."""
    from datetime import timedelta

    from django.utils import timezone

    from demands.models import Demand, DemandStatus

    return Demand.objects.create(
        organisation=firm,
        centre=firm.centre,
        title=entry["title"],
        description=entry["description"],
        field=entry["field"],
        city=entry["city"],
        accepts_licence=True,
        deadline=timezone.localdate() + timedelta(days=90),
        status=DemandStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def _listing_keys() -> dict[int, str]:
    from listings.models import ListingPatent

    return dict(ListingPatent.objects.filter(position=0).values_list("listing_id", "patent__application_number"))


class TfIdfBaseline:
    """Plain TF-IDF over search.text.segment's tokens of the listings on the market: the keyword baseline."""

    def __init__(self):
        from listings.models import Listing, ListingStatus
        from matching.selectors import listing_texts
        from search.text import segment

        ids = list(Listing.objects.filter(status=ListingStatus.PUBLISHED).values_list("pk", flat=True))
        self.segment = segment
        self.vectors: dict[int, dict[str, float]] = {}
        counts = {text.id: Counter(segment(text.text)) for text in listing_texts(ids)}
        frequency = Counter(token for tokens in counts.values() for token in tokens)
        self.idf = {token: math.log(len(counts) / df) for token, df in frequency.items()}
        for listing_id, tokens in counts.items():
            self.vectors[listing_id] = self._normalised({t: n * self.idf[t] for t, n in tokens.items()})

    @staticmethod
    def _normalised(vector: dict[str, float]) -> dict[str, float]:
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {token: value / norm for token, value in vector.items()}

    def rank(self, text: str, limit: int) -> list[int]:
        query = self._normalised(
            {t: n * self.idf.get(t, 0.0) for t, n in Counter(self.segment(text)).items() if t in self.idf}
        )
        scores = []
        for listing_id, vector in self.vectors.items():
            score = sum(value * vector.get(token, 0.0) for token, value in query.items())
            if score > 0:
                scores.append((score, listing_id))
        scores.sort(key=lambda item: (-item[0], item[1]))
        return [listing_id for _score, listing_id in scores[:limit]]


def evaluate(judged: dict | None = None) -> dict:
    """Post the judged demands, match them, and measure (see the module's docstring). Needs the demo data and
    its search index."""
    from django.contrib.auth.models import AnonymousUser

    from matching.models import Match
    from matching.scoring import score_pair
    from matching.selectors import demand_matches_visible_to, listing_texts
    from matching.services import demand_profile_build, match_demand_refresh

    judged = judged or load_judged()
    firm = evaluation_firm()
    keys = _listing_keys()
    baseline = TfIdfBaseline()
    anonymous = AnonymousUser()
    precisions, recalls, baseline_precisions, details = [], [], [], []
    for entry in judged["demands"]:
        demand = post_demand(firm, entry)
        match_demand_refresh(demand_id=demand.pk)
        shown = [keys.get(item["listing"].pk) for item in demand_matches_visible_to(anonymous, demand, limit=20)]
        relevant = {key for group in entry["relevant"].values() for key in group}
        top = shown[:5]
        precisions.append(sum(1 for key in top if key in relevant) / len(top) if top else 0.0)
        found = [topic for topic, group in entry["relevant"].items() if set(group) & set(shown)]
        recalls.append(len(found) / len(entry["relevant"]))
        plain = [keys.get(pk) for pk in baseline.rank(f"{entry['title']}\n{entry['description']}", 5)]
        baseline_precisions.append(sum(1 for key in plain if key in relevant) / len(plain) if plain else 0.0)
        details.append({"title": entry["title"], "shown": shown[:5], "precision": precisions[-1]})
    nothing = []
    for entry in judged["nothing_relevant"]:
        demand = post_demand(firm, entry)
        match_demand_refresh(demand_id=demand.pk)
        profile, candidates = demand_profile_build(demand=demand)
        best = max((score_pair(profile, text)[0] for text in listing_texts(candidates)), default=0.0)
        nothing.append({"title": entry["title"], "shown": Match.objects.filter(demand=demand).count(), "best": best})
    return {
        "precision_at_5": statistics.fmean(precisions),
        "recall_at_20": statistics.fmean(recalls),
        "baseline_precision_at_5": statistics.fmean(baseline_precisions),
        "pairs": Match.objects.filter(demand__organisation=firm).count(),
        "nothing_relevant": nothing,
        "details": details,
    }


# --- The benchmark -------------------------------------------------------------------------------------------


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def _worker(step: str, count: int) -> dict:
    import django

    django.setup()
    if step == "quality":
        figures = evaluate()
        return {key: value for key, value in figures.items() if key != "details"}
    if step == "full":
        return _full_run(count)
    return _single_publish()


def _full_run(count: int) -> dict:
    from dbtasks.models import ScheduledTask
    from django.tasks import TaskResultStatus

    from matching.models import Match
    from matching.tasks import refresh_demand_matches

    judged = load_judged()
    entries = judged["demands"] + judged["nothing_relevant"]
    firm = evaluation_firm()
    cities = ["hangzhou", "ningbo", "wenzhou", "jiaxing", "huzhou", "shaoxing", "jinhua", "quzhou", "taizhou"]
    ids = []
    for n in range(count):
        entry = dict(entries[n % len(entries)])
        entry["city"] = cities[n % len(cities)]
        entry["title"] = f"{entry['title']}（{n}）"
        ids.append(post_demand(firm, entry).pk)
    for demand_id in ids:
        refresh_demand_matches.enqueue(demand_id=demand_id)
    path = refresh_demand_matches.module_path
    started = time.monotonic()
    runner = subprocess.Popen(
        [sys.executable, "manage.py", "taskrunner", "--worker-id", "bench-matching", "--delay", "0.05"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        waiting = {TaskResultStatus.READY, TaskResultStatus.RUNNING}
        while ScheduledTask.objects.filter(task_path=path, status__in=waiting).exists():
            if runner.poll() is not None:
                raise RuntimeError("the task runner stopped")
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finally:
        runner.terminate()
        runner.wait(timeout=30)
    failed = ScheduledTask.objects.filter(task_path=path, status=TaskResultStatus.FAILED).count()
    return {"full_run_s": elapsed, "demands": count, "failed": failed, "pairs": Match.objects.count()}


def _single_publish() -> dict:
    from demands.models import Demand, DemandStatus
    from listings.models import Listing, ListingStatus
    from matching.services import match_demand_refresh, match_listing_refresh

    timings = []
    for demand_id in (
        Demand.objects.filter(status=DemandStatus.PUBLISHED).order_by("-pk").values_list("pk", flat=True)[:10]
    ):
        started = time.perf_counter()
        match_demand_refresh(demand_id=demand_id)
        timings.append(time.perf_counter() - started)
    for listing_id in (
        Listing.objects.filter(status=ListingStatus.PUBLISHED).order_by("-pk").values_list("pk", flat=True)[:10]
    ):
        started = time.perf_counter()
        match_listing_refresh(listing_id=listing_id)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {"single_publish_s": timings[min(len(timings) - 1, int(0.95 * len(timings)))]}


def _in_worker(env: dict, step: str, count: int = 0) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.matching", "--worker", step, "--count", str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{step} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(mode: str = "short", *, listings: int | None = None, demands: int | None = None, database_url=None) -> bool:
    listings = listings or SIZES[mode]["listings"]
    demands = demands or SIZES[mode]["demands"]
    site = temporary_var_dir("matching")
    try:
        with scratch_database(database_url, "matching") if database_url else _no_database() as scratch:
            env = dict(os.environ)
            env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "VAR_DIR": str(site), "DEBUG": "false"})
            env.pop("DATABASE_URL", None)
            if scratch:
                env["DATABASE_URL"] = scratch
            started = time.monotonic()
            _manage(env, "migrate", "--noinput")
            _manage(env, "seed_demo", "--listings", str(QUALITY_LISTINGS))
            _manage(env, "search_index", "rebuild")
            print(f"site prepared in {time.monotonic() - started:.0f} s ({QUALITY_LISTINGS} listings)", flush=True)
            quality = _in_worker(env, "quality")
            for item in quality["nothing_relevant"]:
                print(f"  nothing relevant: {item['title']}: shown {item['shown']}, best score {item['best']:.3f}")
            print(
                f"matching precision_at_5={quality['precision_at_5']:.3f} recall_at_20={quality['recall_at_20']:.3f} "
                f"pairs={quality['pairs']} baseline_precision_at_5={quality['baseline_precision_at_5']:.3f}",
                flush=True,
            )
            if listings > QUALITY_LISTINGS:
                started = time.monotonic()
                _manage(env, "seed_demo", "--listings", str(listings))
                _manage(env, "search_index", "rebuild")
                print(f"site grown to {listings:,} listings in {time.monotonic() - started:.0f} s", flush=True)
            full = _in_worker(env, "full", demands)
            print(
                f"  {full['demands']:,} demands × {listings:,} listings, "
                f"{full['failed']} failed, {full['pairs']:,} pairs"
            )
            print(f"matching full_run_s={full['full_run_s']:.1f}", flush=True)
            single = _in_worker(env, "single")
            print(f"matching single_publish_s={single['single_publish_s']:.3f}", flush=True)
            nothing_shown = sum(item["shown"] for item in quality["nothing_relevant"])
            return (
                quality["precision_at_5"] >= 0.9
                and quality["precision_at_5"] > quality["baseline_precision_at_5"]
                and nothing_shown == 0
                and full["failed"] == 0
                and single["single_publish_s"] <= TARGET_SINGLE_S
            )
    finally:
        shutil.rmtree(site, ignore_errors=True)


class _no_database:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.matching")
    parser.add_argument("--mode", choices=["short", "full"], default="short")
    parser.add_argument("--listings", type=int, help="listings for the full run (short 2,000; full 100,000)")
    parser.add_argument("--demands", type=int, help="demands for the full run (short 200; full 10,000)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="PostgreSQL server")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.worker, args.count)))
        return 0
    ok = run(args.mode, listings=args.listings, demands=args.demands, database_url=args.database_url)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
