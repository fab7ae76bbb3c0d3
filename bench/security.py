"""The security checks of issue #22 as one figure line: the role x URL x socket matrix, password spraying, the NUL
chat message, the oversized upload, and schemathesis over every API operation, with many more generated cases in
the long run than `make test` sends.

    security tests=<n> failed=<n>
    security matrix_leaks=<n> fuzz_cases=<n> fuzz_5xx=<n>

The tests themselves are the probes (one truth, not a second copy): they run under pytest with a JUnit report,
and the figures are the properties they record there (tests/security/test_permission_matrix.py and
tests/api/test_fuzz.py). DATABASE_URL and REDIS_URL pass through, so the long run can be made on PostgreSQL.
Goal: 0 leaks and 0 server errors.
"""

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.common import ROOT

PROBES = [
    "tests/security",
    "tests/api/test_fuzz.py",
    "tests/deals/test_room_socket.py::test_a_message_the_database_cannot_store_gets_an_error_and_the_socket_stays_up",
    "tests/deals/test_room_socket.py::test_garbage_frames_get_an_error_and_the_socket_stays_open",
]
FUZZ_EXAMPLES = {"short": 100, "full": 1000}


def junit_figures(report: Path) -> dict[str, int]:
    figures = {"tests": 0, "failed": 0, "matrix_leaks": 0, "fuzz_cases": 0, "fuzz_5xx": 0}
    # Our own pytest wrote the report a moment ago: trusted input.
    for case in ET.parse(report).getroot().iter("testcase"):  # noqa: S314
        figures["tests"] += 1
        figures["failed"] += any(child.tag in ("failure", "error") for child in case)
        for prop in case.iter("property"):
            if prop.get("name") in figures:
                figures[prop.get("name")] += int(prop.get("value"))
    return figures


def run(mode: str = "short") -> bool:
    with tempfile.TemporaryDirectory(prefix="bench-security-") as scratch:
        report = Path(scratch) / "junit.xml"
        env = dict(os.environ, FUZZ_MAX_EXAMPLES=str(FUZZ_EXAMPLES[mode]))
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-o", "junit_family=xunit2"]
        completed = subprocess.run(
            [*command, f"--junitxml={report}", *PROBES], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if not report.exists():
            print(completed.stdout[-4000:], completed.stderr[-4000:], sep="\n")
            raise RuntimeError("pytest wrote no report: the security probes did not run")
        figures = junit_figures(report)
    if figures["failed"]:
        print(completed.stdout[-6000:])
    print(f"security tests={figures['tests']} failed={figures['failed']}")
    print(
        f"security matrix_leaks={figures['matrix_leaks']} fuzz_cases={figures['fuzz_cases']} "
        f"fuzz_5xx={figures['fuzz_5xx']}",
        flush=True,
    )
    return figures["failed"] == 0 and figures["matrix_leaks"] == 0 and figures["fuzz_5xx"] == 0
