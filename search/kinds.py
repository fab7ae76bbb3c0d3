"""Kinds of document besides listings, described to search by the app that owns them.

Search is older than the apps whose documents it may hold (technology demands), so it never imports them: an app
registers a `DocumentProvider` from its `AppConfig.ready()` (demands.apps), and search asks the provider for the
documents to index, the ids a rebuild covers, the cards the finder shows and the labels of its facet values.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from search.backends.base import KINDS, LISTINGS, DemandDocument


@dataclass(frozen=True)
class DocumentProvider:
    kind: str
    # The documents of those of these ids that are public now (the others are absent, and leave the index).
    documents: Callable[[list[int]], list[DemandDocument]]
    # The ids of every public document, for a rebuild.
    indexable_ids: Callable[[], list[int]]
    # The objects the finder's cards show, for these ids, in the same order (those no longer public left out);
    # `card_template` renders one, as the variable `card_variable`.
    cards: Callable[[Sequence[int]], list[Any]]
    card_template: str
    card_variable: str
    # Every facet's accepted values with their labels, in display order, in the current language.
    facet_vocabulary: Callable[[], dict[str, list[tuple[str, str]]]]
    # Each facet's title, in the current language.
    facet_titles: Callable[[], dict[str, str]]


_providers: dict[str, DocumentProvider] = {}


def register_document_kind(provider: DocumentProvider) -> None:
    """Called once per kind at app-ready time; registering again replaces the provider (tests reload apps)."""
    if provider.kind not in KINDS or provider.kind == LISTINGS:
        raise ValueError(f"Search has no place for documents of kind {provider.kind!r}")
    _providers[provider.kind] = provider


def document_provider(kind: str) -> DocumentProvider | None:
    """The provider of a kind, or None when the app that owns it is not installed."""
    return _providers.get(kind)


def registered_kinds() -> list[str]:
    return [kind for kind in KINDS if kind in _providers]
