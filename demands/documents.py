"""Demands as documents of the search index (search.kinds): demands registers this provider with search when the app
is ready, so that search, which is older and never imports demands, can index published demands, rebuild them and
show them as a second kind of result in the finder."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from demands.models import DealKind, Demand
from demands.selectors import demands_published
from listings.ipc_sections import ipc_section_choices
from marketplace.core.cities import City
from search.backends.base import CITY, DEAL_KIND, DEMANDS, FIELD, DemandDocument
from search.kinds import DocumentProvider, register_document_kind

FACET_TITLES = {FIELD: _("Technology field"), CITY: _("Region"), DEAL_KIND: _("Kind of deal")}


def demand_document(demand: Demand) -> DemandDocument:
    """What search indexes of a published demand: its texts as the organisation wrote them (and its English
    version), the IPC codes it gave, the organisation, and its field, region and accepted kinds of deal."""
    return DemandDocument(
        id=demand.pk,
        title=demand.title,
        summary=demand.description,
        title_en=demand.title_en,
        summary_en=demand.summary_en,
        ipc_codes=tuple(demand.ipc_codes or ()),
        organisation_name=demand.organisation.name,
        facets={FIELD: (demand.field,), CITY: (demand.city,), DEAL_KIND: tuple(demand.deal_kinds)},
        published_at=demand.published_at,
    )


def demand_documents(ids: list[int]) -> list[DemandDocument]:
    """The documents of those of these demands that are published (the others leave the index)."""
    return [demand_document(demand) for demand in demands_published().filter(pk__in=ids)]


def indexable_demand_ids() -> list[int]:
    return list(demands_published().order_by("pk").values_list("pk", flat=True))


def demand_cards(ids: Sequence[int]) -> list[Demand]:
    """Published demands for the finder's cards (templates/demands/_card.html), in the order of `ids`."""
    demands = demands_published().in_bulk(list(ids))
    return [demands[demand_id] for demand_id in ids if demand_id in demands]


def facet_vocabulary() -> dict[str, list[tuple[str, str]]]:
    return {
        FIELD: ipc_section_choices(),
        CITY: [(str(value), str(label)) for value, label in City.choices],
        DEAL_KIND: [(str(value), str(label)) for value, label in DealKind.choices],
    }


def facet_titles() -> dict[str, str]:
    return {facet: str(title) for facet, title in FACET_TITLES.items()}


def register() -> None:
    register_document_kind(
        DocumentProvider(
            kind=DEMANDS,
            documents=demand_documents,
            indexable_ids=indexable_demand_ids,
            cards=demand_cards,
            card_template="demands/_card.html",
            card_variable="demand",
            facet_vocabulary=facet_vocabulary,
            facet_titles=facet_titles,
        )
    )
