"""The open, read-only demands API (信息互联互通): GET /api/v1/demands and /api/v1/demands/{id}, published demands
only, the same for everyone. The filters are the public list's (demands.selectors.DemandFilters)."""

from datetime import date, datetime
from typing import Literal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from demands.models import ContactPolicy, DealKind, Demand
from demands.selectors import DemandFilters, demands_published, demands_published_filtered
from listings.patents.ipc import IPC_SECTIONS
from marketplace.core.api_schemas import NotFoundOut
from marketplace.core.cities import City

router = Router(tags=["demands"])

# Dynamic Literals: the OpenAPI document lists every value a field can take.
FieldValue = Literal[tuple(IPC_SECTIONS)]
CityValue = Literal[tuple(City.values)]
DealKindValue = Literal[tuple(DealKind.values)]
ContactPolicyValue = Literal[tuple(ContactPolicy.values)]

# The largest id a database key holds: a bigger one is simply not found, never a database error.
MAX_ID = 2**63 - 1


class DemandListParams(Schema):
    field: FieldValue | None = Field(None, description="technology field: an IPC section, A–H")
    city: CityValue | None = Field(None, description="the region (city slug), e.g. hangzhou")
    deal_kind: DealKindValue | None = Field(None, description="a kind of deal the demand accepts")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class DemandOut(Schema):
    id: int
    url: str
    title: str
    description: str
    title_en: str = Field("", description="The organisation's own English title; empty when there is none.")
    summary_en: str = Field("", description="The organisation's own English summary; empty when there is none.")
    organisation: str
    centre: str
    centre_id: int
    field: FieldValue
    ipc_codes: list[str] = Field(description="IPC codes or leading parts of them (a subclass such as H01M)")
    deal_kinds: list[DealKindValue]
    budget_min_fen: int | None = Field(description="in fen (1 yuan = 100 fen); null when not stated")
    budget_max_fen: int | None
    city: CityValue
    deadline: date = Field(description="the last day the demand is open")
    contact_policy: ContactPolicyValue
    published_at: datetime | None


class DemandPage(Schema):
    total: int
    page: int
    page_size: int
    num_pages: int
    results: list[DemandOut]


def _serialise(demand: Demand, request: HttpRequest) -> dict:
    return {
        "id": demand.pk,
        "url": request.build_absolute_uri(demand.get_absolute_url()),
        "title": demand.title,
        "description": demand.description,
        "title_en": demand.title_en,
        "summary_en": demand.summary_en,
        "organisation": demand.organisation.name,
        "centre": demand.centre.name,
        "centre_id": demand.centre_id,
        "field": demand.field,
        "ipc_codes": demand.ipc_codes,
        "deal_kinds": demand.deal_kinds,
        "budget_min_fen": demand.budget_min_fen,
        "budget_max_fen": demand.budget_max_fen,
        "city": demand.city,
        "deadline": demand.deadline,
        "contact_policy": demand.contact_policy,
        "published_at": demand.published_at,
    }


@router.get("", response=DemandPage, summary="List published technology demands")
def list_demands(request: HttpRequest, params: Query[DemandListParams]):
    filters = DemandFilters(field=params.field or "", city=params.city or "", deal_kind=params.deal_kind or "")
    paginator = Paginator(demands_published_filtered(filters), params.page_size)
    # A page past the end is empty, as the listings' search answers it, not an error.
    number = params.page
    rows = paginator.page(number).object_list if number <= paginator.num_pages else []
    return {
        "total": paginator.count,
        "page": number,
        "page_size": params.page_size,
        "num_pages": paginator.num_pages,
        "results": [_serialise(demand, request) for demand in rows],
    }


@router.get("/{demand_id}", response={200: DemandOut, 404: NotFoundOut}, summary="One published technology demand")
def get_demand(request: HttpRequest, demand_id: int):
    demand = demands_published().filter(pk=demand_id).first() if 0 < demand_id <= MAX_ID else None
    if demand is None:
        raise Http404("No published demand with this id.")
    return _serialise(demand, request)
