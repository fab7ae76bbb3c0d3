"""Bulk import of listings: 10,000 rows validated and imported in at most 30 s (SQLite, this machine).

A throwaway site (migrate + seed_demo, dev settings with DEBUG off, SQLite in a temporary VAR_DIR) and a CSV of
realistic rows for 浙江大学. Two measurements:

- in a worker process, the phases of the first import (read the file, check every row, write) and of the same
  file imported again, which must change nothing (same row counts, same updated_at everywhere);
- `manage.py import_listings` end to end on a copy of the same empty site, as an operator would run it
  (this includes starting Django), then once more for the idempotent re-import.
"""

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import ROOT, temporary_var_dir

ROWS = {"short": 2_000, "full": 10_000}
TARGET_ROWS, TARGET_SECONDS = 10_000, 30.0
SELLER_CREDIT_CODE = "123301064586428814"  # 浙江大学 in the demo data (portal/demo/organisations.py)
TODAY = date.today()

# (subject, main IPC, further IPC) — titles, abstracts and classes of the kind a university portfolio holds.
SUBJECTS = [
    ("高镍三元正极材料", "H01M 4/525", "H01M 10/0525"),
    ("硫化物固态电解质", "H01M 10/0562", "H01M 10/052"),
    ("锂金属负极保护层", "H01M 4/134", "H01M 4/62"),
    ("永磁同步电机无传感器控制", "H02P 21/18", "H02P 6/18"),
    ("低照度图像增强", "G06T 5/00", "G06N 3/08"),
    ("深度神经网络模型压缩", "G06N 3/082", "G06N 3/04"),
    ("植保无人机变量喷洒", "A01M 7/00", "B64U 10/13"),
    ("富营养化水体生态修复", "C02F 3/32", "C02F 101/10"),
    ("可降解聚乳酸复合材料", "C08L 67/04", "C08K 3/26"),
    ("海上风电桩基防腐涂层", "C09D 5/08", "E02D 31/06"),
    ("船舶压载水电解处理", "C02F 1/467", "B63J 4/00"),
    ("名优绿茶自动揉捻", "A23F 3/12", "A23F 3/06"),
    ("铁皮石斛多糖提取", "A61K 36/898", "C08B 37/00"),
    ("大跨度钢结构健康监测", "G01M 5/00", "G01B 7/16"),
    ("光伏组件热斑检测", "H02S 50/10", "G06T 7/00"),
]
SUFFIXES = ["及其制备方法", "的控制方法及系统", "装置", "的检测方法", "及其应用"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "敏", "静", "磊", "洋", "婷", "强", "军", "杰", "娜", "涛", "明", "超", "霞", "平", "刚", "建国", "晓梅"]
PARTNERS = ["宁波甬新材料科技有限公司", "杭州数衡智能科技有限公司", "浙江某某新能源有限公司"]
MATURITY = ["概念验证", "实验室", "中试", "小批量", "量产", ""]
LICENCES = ["普通", "独占", "排他", "独占; 普通", "排他; 普通", ""]


def _check_digit(digits: str) -> str:
    weights = (2, 3, 4, 5, 6, 7, 8, 9)
    remainder = sum(int(digit) * weights[index % 8] for index, digit in enumerate(digits)) % 11
    return "X" if remainder == 10 else str(remainder)


def _money(rng: random.Random, low: int, high: int) -> str:
    yuan = rng.randrange(low, high, 1000)
    return f"{yuan}.{rng.randrange(100):02d}" if rng.random() < 0.3 else str(yuan)


def make_rows(count: int, seed: int = 2026) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        invention = rng.random() < 0.8
        year = rng.randint(2016, 2024) if invention else rng.randint(2018, 2024)
        type_digit = 1 if invention else 2
        digits = f"{year}{type_digit}{100000 + index:07d}"
        filing = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        publication = filing + timedelta(days=rng.randint(180, 540))
        granted_on = filing + timedelta(days=rng.randint(400, 1100) if invention else rng.randint(200, 400))
        granted = granted_on <= TODAY and rng.random() < 0.85
        subject, main_ipc, other_ipc = rng.choice(SUBJECTS)
        licence = rng.choice(LICENCES)
        transfer = _money(rng, 200_000, 5_000_000) if rng.random() < 0.4 or not licence else ""
        rows.append(
            {
                "application_number": f"{digits}.{_check_digit(digits)}",
                "patent_type": "发明" if invention else "实用新型",
                "title": f"一种{subject}{rng.choice(SUFFIXES)}",
                "abstract": f"本{'发明' if invention else '实用新型'}公开了一种{subject}，"
                "通过优化结构与工艺参数，显著提高了性能稳定性和生产效率，降低了制造成本，适用于规模化生产。",
                "first_claim": f"1. 一种{subject}，其特征在于，包括基体、功能层以及设于两者之间的过渡层……",
                "ipc_codes": f"{main_ipc}; {other_ipc}",
                "filing_date": filing.isoformat(),
                "publication_date": publication.isoformat() if publication <= TODAY else "",
                "grant_date": granted_on.isoformat() if granted else "",
                "legal_status": "授权" if granted else rng.choice(["实质审查", "公开"]),
                "applicants": "浙江大学" + (f"; {rng.choice(PARTNERS)}" if rng.random() < 0.2 else ""),
                "inventors": "; ".join(rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(rng.randint(2, 4))),
                "summary": f"{subject}技术，可帮助企业提升产品性能、降低成本，已在实验线上验证，适合相关制造企业。",
                "maturity": rng.choice(MATURITY),
                "application_fields": "新能源；先进制造",
                "licence_types": licence,
                "territory": "中国大陆" if licence else "",
                "field_of_use": "",
                "licence_term_years": str(rng.randint(3, 10)) if licence else "",
                "upfront_fee_yuan": _money(rng, 50_000, 800_000) if licence else "",
                "royalty_rate_percent": f"{rng.randint(1, 8)}.{rng.choice(['0', '5'])}" if licence else "",
                "transfer_price_yuan": transfer,
                "equity_value_yuan": _money(rng, 1_000_000, 20_000_000) if rng.random() < 0.1 else "",
                "asking_price_yuan": "",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """UTF-8 with a BOM, as Excel saves “CSV UTF-8”; the header uses the English column names."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _env(var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "VAR_DIR": str(var_dir), "DEBUG": "false"})
    env.pop("DATABASE_URL", None)  # SQLite in var_dir, whatever the shell says
    return env


def _manage(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout.strip()


def run(mode: str = "short") -> bool:
    count = ROWS[mode]
    site = temporary_var_dir("listings-import")
    try:
        env = _env(site)
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo", "--if-empty")
        copy = site / "command"
        copy.mkdir()
        for name in os.listdir(site):  # the same empty site, for the end-to-end command run
            if name.startswith("db.sqlite3"):
                shutil.copy2(site / name, copy / name)
        data = site / "listings.csv"
        write_csv(data, make_rows(count))
        print(f"{count} rows, {data.stat().st_size / 1_048_576:.1f} MB CSV, SQLite, dev settings with DEBUG off")

        worker = subprocess.run(
            [sys.executable, "-m", "bench.listings_import", "--worker", str(data)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if worker.returncode:
            print(worker.stdout, worker.stderr)
            return False
        figures = json.loads(worker.stdout.strip().splitlines()[-1])
        first, again = figures["first"], figures["again"]
        total = first["read"] + first["check"] + first["write"]
        print(f"{'':22} {'read s':>7} {'check s':>8} {'write s':>8} {'total s':>8} {'rows/s':>8}  result")
        for label, phase in (("first import", first), ("same file again", again)):
            seconds = phase["read"] + phase["check"] + phase["write"]
            print(
                f"{label:22} {phase['read']:7.2f} {phase['check']:8.2f} {phase['write']:8.2f} {seconds:8.2f} "
                f"{count / seconds:8.0f}  {phase['result']}"
            )
        print(f"re-import changed nothing: {figures['unchanged']} (row counts {figures['counts']}, updated_at equal)")

        command_env = _env(copy)
        command = ["import_listings", str(data), "--seller", SELLER_CREDIT_CODE]
        first_seconds, _output = _manage(command_env, *command)
        again_seconds, output = _manage(command_env, *command)
        print(
            f"manage.py import_listings, end to end incl. start-up: {first_seconds:.2f} s; again: {again_seconds:.2f} s"
        )
        print(f"  {output}")

        projected = total * TARGET_ROWS / count
        within = max(projected, first_seconds * TARGET_ROWS / count) <= TARGET_SECONDS
        print(
            f"{TARGET_ROWS} rows: {projected:.1f} s in process, {first_seconds * TARGET_ROWS / count:.1f} s by the "
            f"command{' (extrapolated)' if count != TARGET_ROWS else ''}; target ≤ {TARGET_SECONDS:.0f} s: "
            f"{'met' if within else 'MISSED'}"
        )
        return within and figures["unchanged"]
    finally:
        shutil.rmtree(site, ignore_errors=True)


def _worker(path: Path) -> None:
    """Runs inside the throwaway site: time each phase of two imports of the same file."""
    import django

    django.setup()
    from listings.importing import execute_plan, parse_file, validate_rows
    from listings.models import Listing, ListingPatent, ListingTerms, Patent
    from marketplace.organisations.models import Organisation

    seller = Organisation.objects.get(credit_code=SELLER_CREDIT_CODE)

    def snapshot() -> tuple[list[int], list]:
        counts = [model.objects.count() for model in (Patent, Listing, ListingPatent, ListingTerms)]
        stamps = list(Patent.objects.order_by("id").values_list("id", "updated_at"))
        stamps += list(Listing.objects.order_by("id").values_list("id", "updated_at"))
        stamps += list(ListingTerms.objects.order_by("id").values_list("id", "licence_types", "price_fen"))
        return counts, stamps

    def timed_import() -> dict:
        started = time.perf_counter()
        rows = parse_file(path)
        parsed = time.perf_counter()
        plan = validate_rows(rows, seller)
        checked = time.perf_counter()
        if not plan.is_valid:
            raise SystemExit(f"the generated file has errors: {plan.errors[:5]}")
        result = execute_plan(plan, actor=None)
        written = time.perf_counter()
        return {
            "read": parsed - started,
            "check": checked - parsed,
            "write": written - checked,
            "result": f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}",
        }

    first = timed_import()
    counts, stamps = snapshot()
    again = timed_import()
    counts_again, stamps_again = snapshot()
    unchanged = counts == counts_again and stamps == stamps_again
    print(json.dumps({"first": first, "again": again, "counts": counts, "unchanged": unchanged}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(Path(sys.argv[2]))
    else:
        sys.exit(0 if run(sys.argv[1] if len(sys.argv) > 1 else "short") else 1)
