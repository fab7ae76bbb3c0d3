"""The layers of CONTRIBUTING.md, enforced: every import of the project's own code, at the top of a module or
inside a function, runs down the picture, never up, and never in a circle.

    config/        the shell: settings, urls, asgi, routing, API root, health
    portal/        the roof: home, workspace, demo data; imported by nobody
    domain apps    listings, search, deals, payments, indicators, cms (+ this wave's)
    marketplace/   the ground: accounts, centres, organisations, background, core; imports no domain app

Among the domain apps, DOMAIN_DEPENDS_ON says which may import which: a newer app may import an older one.
Within one app, modules may not import each other in a circle either.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHELL, ROOF, GROUND = "config", "portal", "marketplace"
# What each domain app may import besides the ground. Adding an app means adding its line here.
DOMAIN_DEPENDS_ON: dict[str, set[str]] = {
    "listings": set(),
    "search": {"listings"},
    "matching": {"demands", "listings", "search"},
    "demands": {"deals", "indicators", "listings", "search"},
    "deals": {"listings"},
    "drives": {"deals", "demands", "listings", "search"},
    "payments": {"deals", "listings"},
    "auctions": {"deals", "payments", "listings"},
    "indicators": {"deals", "payments", "listings"},
    "cms": {"indicators", "listings", "search"},
}
DOMAIN = set(DOMAIN_DEPENDS_ON)
PACKAGES = {SHELL, ROOF, GROUND, *DOMAIN}


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            # The longest prefix that is one of our modules: `from a.b import c` may name a module or a name in it.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def layer_of(module: str) -> str:
    top = module.split(".")[0]
    return top if top in (SHELL, ROOF, GROUND) else "domain"


def app_of(module: str) -> str:
    """The app a module belongs to: the top package, or the sub-app of the ground (marketplace.centres)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == GROUND and len(parts) > 1 else parts[0]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def allowed(importer: str, imported: str) -> bool:
    source, target = layer_of(importer), layer_of(imported)
    if target == SHELL:
        return source == SHELL
    if target == ROOF:
        return source in (ROOF, SHELL)
    if target == "domain":
        if source == GROUND:
            return False
        if source == "domain":
            own, other = importer.split(".")[0], imported.split(".")[0]
            return own == other or other in DOMAIN_DEPENDS_ON[own]
        return True
    return True  # the ground may be imported by anyone


def test_every_import_runs_down_the_layers(graph):
    against = sorted(
        f"{importer} imports {imported}"
        for importer, targets in graph.items()
        for imported in targets
        if not allowed(importer, imported)
    )
    assert against == [], "imports against the layers (see CONTRIBUTING.md):\n" + "\n".join(against)


def test_no_app_imports_another_in_a_circle(graph):
    apps = defaultdict(set)
    for importer, targets in graph.items():
        for imported in targets:
            if app_of(importer) != app_of(imported):
                apps[app_of(importer)].add(app_of(imported))
    assert _cycles(apps) == []


def test_no_module_of_an_app_imports_another_of_it_in_a_circle(graph):
    cycles = []
    for app in {app_of(module) for module in graph}:
        inside = {m: {t for t in targets if app_of(t) == app} for m, targets in graph.items() if app_of(m) == app}
        cycles += _cycles(inside)
    assert sorted(cycles) == []


def test_the_picture_covers_every_package_of_the_project():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == PACKAGES, "a new top-level package needs its place in the layers (and DOMAIN_DEPENDS_ON)"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one node (Tarjan), as a sorted list."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for following in edges.get(node, ()):
            if following not in index:
                visit(following)
                low[node] = min(low[node], low[following])
            elif following in on_stack:
                low[node] = min(low[node], index[following])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in list(edges):
        if node not in index:
            visit(node)
    return sorted(found)
