"""The documents stay true: the README's table of settings names every variable the settings read, and the
files, modules and names that comments, docstrings and Markdown cite exist."""

import ast
import io
import os
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The folders a cited path may start with; a path starting elsewhere is prose ("licence/transfer") or a URL.
TOP_FOLDERS = {path.name for path in ROOT.iterdir() if path.is_dir() and not path.name.startswith(".")} | {".ci"}
PACKAGES = {path.parent.name for path in ROOT.glob("*/__init__.py")}
GENERATED = {"var", "node_modules", "artifacts"}  # made by a run, not kept in the repository
PATH = re.compile(r"(?<![\w./<-])((?:\.\./)?[\w.-]+(?:/[\w.<>*-]+)+)/?")
MARKDOWN_FILE = re.compile(r"(?<![\w/.-])([\w-]+\.md)\b")
# A dotted name in quotes is a string of some other kind (a crash point, a log name), not a module cited.
DOTTED = re.compile(r"(?<![\w./\"'-])((?:" + "|".join(sorted(PACKAGES)) + r")(?:\.[A-Za-z_]\w*)+)")
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)")


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],  # noqa: S607 - git from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [name for name in listed if (ROOT / name).exists()]


FILES = tracked_files()
PATHS = set(FILES) | {str(parent) for name in FILES for parent in Path(name).parents}


def comments_and_docstrings(path: Path) -> list[tuple[int, str]]:
    found = []
    for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        is_docstring = token.type == tokenize.STRING and token.string.lstrip("rbuRBU")[:3] in ('"""', "'''")
        if token.type == tokenize.COMMENT or is_docstring:
            found += [(token.start[0] + offset, line) for offset, line in enumerate(token.string.splitlines())]
    return found


def texts_to_check() -> list[tuple[str, int, str]]:
    texts = []
    for name in FILES:
        if name.endswith(".py"):
            texts += [(name, number, line) for number, line in comments_and_docstrings(ROOT / name)]
        elif name.endswith(".md") or name.startswith(".ci/"):
            lines = (ROOT / name).read_text().splitlines()
            texts += [(name, number, line) for number, line in enumerate(lines, start=1)]
    return texts


def path_exists(reference: str, cited_in: str) -> bool:
    reference = reference.rstrip(".,;:")
    if any(mark in reference for mark in "<*"):  # a pattern: its fixed start must exist
        reference = re.split(r"[<*]", reference)[0].rstrip("/")
    candidates = [ROOT / reference, ROOT / Path(cited_in).parent / reference]
    return any(
        str(Path(os.path.normpath(candidate)).relative_to(ROOT, walk_up=True)) in PATHS for candidate in candidates
    )


def module_name_exists(reference: str) -> bool:
    parts = reference.split(".")
    for length in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:length])
        module = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        if not module.is_file():
            continue
        rest = parts[length:]
        return not rest or rest[0] in _top_level_names(module)
    return False


def _top_level_names(module: Path) -> set[str]:
    names = set()
    for node in ast.parse(module.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def test_every_cited_file_module_and_name_exists():
    missing = []
    for name, number, line in texts_to_check():
        cited = [match.group(1) for match in PATH.finditer(line)]
        cited = [path for path in cited if path.split("/")[0] in TOP_FOLDERS | {".."}]
        cited += MARKDOWN_FILE.findall(line)
        if name.endswith(".md"):
            cited += [link for link in MARKDOWN_LINK.findall(line) if "://" not in link]
        missing += [
            f"{name}:{number}: {path}"
            for path in cited
            if path.split("/")[0] not in GENERATED and not path_exists(path, name)
        ]
        missing += [
            f"{name}:{number}: {dotted}"
            for dotted in DOTTED.findall(line)
            if not dotted.endswith((".py", ".md", ".html", ".css", ".js")) and not module_name_exists(dotted)
        ]
    assert missing == [], "comments, docstrings or documents cite what is not in the repository:\n" + "\n".join(missing)


def environment_variables_read() -> set[str]:
    """What the settings modules and `make run`'s server read from the environment."""
    sources = [*sorted((ROOT / "config" / "settings").glob("*.py")), ROOT / "scripts" / "serve.py"]
    pattern = re.compile(r"""(?:env_\w+|os\.environ(?:\.get|\.setdefault)?)\(?\[?\s*["']([A-Z][A-Z0-9_]+)["']""")
    return {name for source in sources for name in pattern.findall(source.read_text())}


def _table_names(document: str, heading: str) -> set[str]:
    text = (ROOT / document).read_text()
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def readme_configuration_table() -> set[str]:
    """The README's table of settings, with the tuning settings it sends to docs/operations.md."""
    return _table_names("README.md", "## Configuration") | _table_names("docs/operations.md", "## Tuning")


def test_the_readme_lists_every_environment_variable_the_settings_read():
    # DJANGO_SETTINGS_MODULE is described above the table, with the settings modules.
    unlisted = environment_variables_read() - readme_configuration_table() - {"DJANGO_SETTINGS_MODULE"}
    assert unlisted == set(), f"add to the README's configuration table: {sorted(unlisted)}"


def test_the_readme_lists_no_variable_that_nothing_reads():
    makefile = (ROOT / "Makefile").read_text()
    read_by_make = set(re.findall(r"^([A-Z_]+) \?=", makefile, flags=re.MULTILINE))
    unread = readme_configuration_table() - environment_variables_read() - read_by_make
    assert unread == set(), f"the README's configuration table names variables nothing reads: {sorted(unread)}"


@pytest.mark.parametrize("document, most_words", [("README.md", 1200)])
def test_the_readme_stays_short(document, most_words):
    assert len((ROOT / document).read_text().split()) < most_words
