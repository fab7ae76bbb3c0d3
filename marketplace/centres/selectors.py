"""Reads about the "1+X" tree, and the one rule for which centres a person may act for."""

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.accounts.personal_data import PersonalDataSection
from marketplace.centres.models import CentreStaff, OperationCentre, StaffRole

# --- The tree, kept in each process ---------------------------------------------------------------------------
# Tens of centres, changed a few times a year, read by every finder request (its centre filter and facets) and
# every staff member's scope: each process keeps them and asks the shared cache at most every TREE_CHECK_SECONDS
# whether they changed. A change (receivers.py) clears this process's copy at once and moves the shared version,
# so the other processes follow within that time.
TREE_VERSION_KEY = "centres:tree-version"
TREE_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class _Tree:
    version: int
    checked_at: float
    centres: tuple[OperationCentre, ...]  # by name; shared by every request: read them, never change them


_tree: _Tree | None = None
_tree_lock = threading.Lock()


def _shared_tree_version() -> int:
    version = cache.get(TREE_VERSION_KEY)
    if version is None:
        cache.add(TREE_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(TREE_VERSION_KEY)
    return int(version or 0)


def _centres_by_name() -> tuple[OperationCentre, ...]:
    global _tree
    tree, now = _tree, time.monotonic()
    if tree is not None and now - tree.checked_at < TREE_CHECK_SECONDS:
        return tree.centres
    version = _shared_tree_version()
    with _tree_lock:
        if tree is not None and tree.version == version:
            _tree = _Tree(version, now, tree.centres)
        else:
            _tree = _Tree(version, now, tuple(OperationCentre.objects.order_by("name")))
        return _tree.centres


def _forget_tree() -> None:
    global _tree
    _tree = None
    cache.set(TREE_VERSION_KEY, time.time_ns(), timeout=None)


def forget_centre_tree() -> None:
    """Drop the kept tree: now, and again after commit (a request of this process that reads the tree between
    the change and its commit would keep the tree as it was)."""
    _forget_tree()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_forget_tree)


def _parents() -> dict[int, int | None]:
    return {centre.id: centre.parent_id for centre in _centres_by_name()}


def root_centre() -> OperationCentre | None:
    return OperationCentre.objects.filter(is_root=True).first()


def descendant_ids(centre_ids: Iterable[int]) -> set[int]:
    """The given centres and every centre below them.

    The tree is small (tens of centres, hundreds at most), so walking the kept tree beats recursive SQL that
    would differ between SQLite and PostgreSQL.
    """
    children: dict[int | None, list[int]] = {}
    for centre_id, parent_id in _parents().items():
        children.setdefault(parent_id, []).append(centre_id)
    found: set[int] = set()
    pending = list(centre_ids)
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        pending.extend(children.get(current, []))
    return found


def ancestor_ids(centre: OperationCentre) -> list[int]:
    """The centre's ancestors from its parent up to the root (the "1+X" roll-up path)."""
    parents = _parents()
    path: list[int] = []
    current = parents.get(centre.id)
    while current is not None and current not in path:
        path.append(current)
        current = parents.get(current)
    return path


@dataclass(frozen=True)
class StaffScope:
    """Which hosted objects a person may act on as centre staff.

    `everything` is true for root-centre staff and superusers; otherwise `centre_ids` holds their centres and
    every descendant. Selectors of every app filter through `filter_q`, so the rule lives here only.
    """

    everything: bool
    centre_ids: frozenset[int]
    admin_centre_ids: frozenset[int]

    @property
    def is_staff(self) -> bool:
        return self.everything or bool(self.centre_ids)

    def covers(self, centre_id: int | None) -> bool:
        return self.everything or (centre_id is not None and centre_id in self.centre_ids)

    def filter_q(self, centre_field: str) -> Q:
        if self.everything:
            return Q()
        return Q(**{f"{centre_field}__in": self.centre_ids})


NO_SCOPE = StaffScope(everything=False, centre_ids=frozenset(), admin_centre_ids=frozenset())


def staff_scope(user) -> StaffScope:
    if user is None or not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_staff_scope", None)
    if cached is not None:
        return cached
    roles = list(CentreStaff.objects.filter(user=user).values_list("centre_id", "centre__is_root", "role"))
    if user.is_superuser or any(is_root for _, is_root, _ in roles):
        scope = StaffScope(
            everything=True,
            centre_ids=frozenset(descendant_ids(c for c, _, _ in roles)),
            admin_centre_ids=frozenset(descendant_ids(c for c, _, role in roles if role == StaffRole.ADMIN)),
        )
    elif roles:
        scope = StaffScope(
            everything=False,
            centre_ids=frozenset(descendant_ids(c for c, _, _ in roles)),
            admin_centre_ids=frozenset(descendant_ids(c for c, _, role in roles if role == StaffRole.ADMIN)),
        )
    else:
        scope = NO_SCOPE
    # Per-request cache: the user object lives for one request.
    user._staff_scope = scope
    return scope


def centres_with_depth() -> list[tuple[OperationCentre, int]]:
    """Every centre in tree order (root first, children by name), each with its depth for display."""
    centres = _centres_by_name()
    by_parent: dict[int | None, list[OperationCentre]] = {}
    for centre in centres:
        by_parent.setdefault(centre.parent_id, []).append(centre)
    ordered: list[tuple[OperationCentre, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for centre in by_parent.get(parent_id, []):
            ordered.append((centre, depth))
            walk(centre.id, depth + 1)

    walk(None, 0)
    return ordered


def centres_staffed_by(user) -> QuerySet[OperationCentre]:
    return OperationCentre.objects.filter(staff__user=user).distinct()


def personal_data_sections(user) -> list[PersonalDataSection]:
    roles = [
        {"centre": role.centre.name, "role": role.get_role_display(), "since": role.created_at}
        for role in CentreStaff.objects.filter(user=user).select_related("centre").order_by("created_at")
    ]
    return [PersonalDataSection("centres.staff_roles", _("Your roles at operation centres"), roles)]
