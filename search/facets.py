"""What a person reads for each search facet and each of its values, in the language of the current request.

The index stores facet values as codes ('licence', 'H', 'ningbo', a centre id); this module turns them into
labels, fixes the order options are shown in, and is the vocabulary the search form checks values against.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from listings.browse import FacetOption
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
    CITY: _("Seller's city"),
    CENTRE: _("Operation centre"),
    SELLER_KIND: _("Seller type"),
    PRICE_BAND: _("Price"),
    LEGAL_STATUS: _("Legal status"),
}


def _is_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _ipc_section_choices() -> list[tuple[str, str]]:
    index = 0 if _is_chinese() else 1
    return [(letter, f"{letter} · {titles[index]}") for letter, titles in IPC_SECTIONS.items()]


def _centre_choices() -> list[tuple[str, str]]:
    # Tree order, indented, so a buyer sees which centres sit under which (a centre includes its sub-centres).
    chinese = _is_chinese()
    return [
        (str(centre.pk), "— " * depth + (centre.name if chinese or not centre.name_en else centre.name_en))
        for centre, depth in centres_with_depth()
    ]


def facet_vocabulary() -> dict[str, list[tuple[str, str]]]:
    """Every facet's accepted values with their labels, in display order. One query (the centres)."""
    return {
        MODE: [(str(value), str(label)) for value, label in Mode.choices],
        PATENT_TYPE: [(str(value), str(label)) for value, label in PatentType.choices],
        IPC_SECTION: _ipc_section_choices(),
        CITY: [(str(value), str(label)) for value, label in City.choices],
        CENTRE: _centre_choices(),
        SELLER_KIND: [(str(value), str(label)) for value, label in OrganisationKind.choices],
        PRICE_BAND: [(band.value, str(band.label)) for band in PRICE_BANDS],
        LEGAL_STATUS: [(str(value), str(label)) for value, label in LegalStatus.choices],
    }


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the facet, also the query parameter
    title: str
    options: list[FacetOption]


def facet_groups(
    vocabulary: dict[str, list[tuple[str, str]]],
    counts: dict[str, dict[str, int]],
    selected: dict[str, list[str]],
) -> list[FacetGroup]:
    """The sidebar: for each facet, the values that would find something, plus those already ticked."""
    groups = []
    for facet in FACETS:
        facet_counts = counts.get(facet, {})
        chosen = set(selected.get(facet, ()))
        options = [
            FacetOption(value=value, label=label, count=facet_counts.get(value, 0), selected=value in chosen)
            for value, label in vocabulary.get(facet, [])
            if facet_counts.get(value, 0) or value in chosen
        ]
        if options:
            groups.append(FacetGroup(name=facet, title=str(FACET_TITLES[facet]), options=options))
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
