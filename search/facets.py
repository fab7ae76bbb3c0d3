"""What a person reads for each search facet and each of its values, in the language of the current request.

The index stores facet values as codes ('licence', 'H', 'ningbo', a centre id); this module turns them into
labels, fixes the order options are shown in, and is the vocabulary the search form checks values against.
"""

import time
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from listings.ipc_sections import ipc_section_choices, ipc_section_title
from listings.models import LegalStatus, Mode, PatentType
from listings.patents.ipc import IPC_SECTIONS
from listings.pricing import PRICE_BANDS
from marketplace.centres.selectors import centres_with_depth
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind
from search.backends.base import (
    CENTRE,
    CITY,
    FACETS,
    IPC_CLASS,
    IPC_SECTION,
    LEGAL_STATUS,
    MODE,
    PATENT_TYPE,
    PRICE_BAND,
    SELLER_KIND,
)

FACET_TITLES = {
    MODE: _("Deal type"),
    PATENT_TYPE: _("Patent type"),
    IPC_SECTION: _("Technology field (IPC section)"),
    IPC_CLASS: _("IPC class"),
    CITY: _("Seller's city"),
    CENTRE: _("Operation centre"),
    SELLER_KIND: _("Seller type"),
    PRICE_BAND: _("Price"),
    LEGAL_STATUS: _("Legal status"),
}


def _ipc_class_choices() -> list[tuple[str, str]]:
    # Every class a code can name (H01 ... H99): the options shown are those the index counts.
    return [
        (f"{letter}{number:02d}", f"{letter}{number:02d} · {ipc_section_title(letter)}")
        for letter in IPC_SECTIONS
        for number in range(1, 100)
    ]


def _centre_choices() -> list[tuple[str, str]]:
    # Tree order, indented, so a buyer sees which centres sit under which (a centre includes its sub-centres).
    return [(str(centre.pk), "— " * depth + centre.local_name) for centre, depth in centres_with_depth()]


def _build_vocabulary() -> dict[str, list[tuple[str, str]]]:
    return {
        MODE: [(str(value), str(label)) for value, label in Mode.choices],
        PATENT_TYPE: [(str(value), str(label)) for value, label in PatentType.choices],
        IPC_SECTION: ipc_section_choices(),
        IPC_CLASS: _ipc_class_choices(),
        CITY: [(str(value), str(label)) for value, label in City.choices],
        CENTRE: _centre_choices(),
        SELLER_KIND: [(str(value), str(label)) for value, label in OrganisationKind.choices],
        PRICE_BAND: [(band.value, str(band.label)) for band in PRICE_BANDS],
        LEGAL_STATUS: [(str(value), str(label)) for value, label in LegalStatus.choices],
    }


# The vocabulary changes only when a centre does: it is built once per language and kept in the process.
# Saving or deleting a centre forgets it (search.receivers); the other processes, which do not see that signal,
# build it again after this long.
VOCABULARY_SECONDS = 300
_vocabularies: dict[str, tuple[float, dict[str, list[tuple[str, str]]]]] = {}


def facet_vocabulary() -> dict[str, list[tuple[str, str]]]:
    """Every facet's accepted values with their labels, in display order. Shared: read it, never change it."""
    language = get_language() or ""
    kept = _vocabularies.get(language)
    now = time.monotonic()
    if kept is None or now - kept[0] > VOCABULARY_SECONDS:
        kept = (now, _build_vocabulary())
        _vocabularies[language] = kept
    return kept[1]


def forget_facet_vocabulary(**_kwargs) -> None:
    """A signal receiver: the centres changed."""
    _vocabularies.clear()


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet with the number of listings it would show."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the facet, also the query parameter
    title: str
    options: list[FacetOption]


def _shown_values(facet: str, vocabulary, selected: dict[str, list[str]]) -> list[tuple[str, str]]:
    if facet != IPC_CLASS:
        return vocabulary.get(facet, [])
    # IPC classes narrow a technology field: listed once a section is chosen, those of the chosen sections only.
    sections = tuple(selected.get(IPC_SECTION, ()))
    chosen = set(selected.get(IPC_CLASS, ()))
    if not sections and not chosen:
        return []
    return [
        (value, label) for value, label in vocabulary.get(facet, []) if value.startswith(sections) or value in chosen
    ]


def facet_groups(
    vocabulary: dict[str, list[tuple[str, str]]],
    counts: dict[str, dict[str, int]],
    selected: dict[str, list[str]],
    *,
    facets: tuple[str, ...] = FACETS,
    titles: dict | None = None,
) -> list[FacetGroup]:
    """The sidebar: for each facet, the values that would find something, plus those already ticked. `facets`
    and `titles`: another kind's (demands: search.kinds), the listings' by default."""
    titles = FACET_TITLES if titles is None else titles
    groups = []
    for facet in facets:
        facet_counts = counts.get(facet, {})
        chosen = set(selected.get(facet, ()))
        options = [
            FacetOption(value=value, label=label, count=facet_counts.get(value, 0), selected=value in chosen)
            for value, label in _shown_values(facet, vocabulary, selected)
            if facet_counts.get(value, 0) or value in chosen
        ]
        if options:
            groups.append(FacetGroup(name=facet, title=str(titles[facet]), options=options))
    return groups


def value_label(vocabulary: dict[str, list[tuple[str, str]]], facet: str, value: str) -> str:
    """The label of one value, without the indentation of the centre tree."""
    label = dict(vocabulary.get(facet, [])).get(value, value)
    return label.lstrip("— ") if facet == CENTRE else label


def describe_filters(vocabulary: dict[str, list[tuple[str, str]]], filters: dict[str, list[str]]) -> list[str]:
    """'Deal type: Licence, Transfer', one line per facet, in facet order."""
    return [
        f"{FACET_TITLES[facet]}: {', '.join(value_label(vocabulary, facet, value) for value in filters[facet])}"
        for facet in FACETS
        if filters.get(facet)
    ]
