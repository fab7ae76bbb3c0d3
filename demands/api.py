"""The demands API (信息互联互通): the open, read-only GET /api/v1/demands and /api/v1/demands/{id} (published demands
only, the same for everyone; the filters are the public list's, demands.selectors.DemandFilters), and below it the
write API of an organisation's own systems at /api/v1/organisation/demands (organisation_router)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from demands.forms import DemandForm
from demands.models import ContactPolicy, DealKind, Demand, DemandCloseReason, DemandStatus
from demands.selectors import DemandFilters, demands_of_member, demands_published, demands_published_filtered
from demands.services import demand_create, demand_set_status, demand_update
from listings.patents.ipc import IPC_SECTIONS
from marketplace.core.api_errors import InvalidData, form_errors
from marketplace.core.api_schemas import InvalidParametersOut, NotFoundOut
from marketplace.core.cities import City
from marketplace.core.pagination import api_page
from marketplace.organisations.api_auth import ApiScope, OrganisationToken, created_once, idempotency_key_parameter

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


# --- The write API for the organisation's own systems: /api/v1/organisation/demands ------------------------------
# An organisation's API token (marketplace.organisations.api_auth) acts as a member of the organisation. What it
# sends goes through the workspace's DemandForm and then demands.services, so the API refuses exactly what the
# page refuses, saves nothing when it refuses, and a submitted demand waits for the hosting centre's staff.

organisation_router = Router(tags=["organisation: demands"])

WRITE = OrganisationToken(ApiScope.DEMANDS_WRITE)
READ = OrganisationToken(ApiScope.READ, ApiScope.DEMANDS_WRITE)
StatusValue = Literal[tuple(DemandStatus.values)]
CloseReasonValue = Literal[tuple(DemandCloseReason.values)]
MAX_FEN = 10**13  # the form's ceiling (listings.forms.MAX_YUAN) in fen
ERRORS = {401: NotFoundOut, 403: NotFoundOut, 422: InvalidParametersOut, 429: NotFoundOut}
WITH_404 = {**ERRORS, 404: NotFoundOut}

DEMAND_EXAMPLE = {
    "title": "动力电池低温续航衰减问题",
    "description": "我们生产的电动叉车在零下10度时续航下降近一半，希望找到能改善低温性能的电解液或电池管理技术。",
    "field": "H",
    "ipc_codes": ["H01M"],
    "deal_kinds": ["licence", "joint_development"],
    "budget_min_fen": 50_000_000,
    "budget_max_fen": 200_000_000,
    "city": "hangzhou",
    "deadline": "2027-06-30",
    "contact_policy": "open",
}


class DemandIn(Schema):
    model_config = {"json_schema_extra": {"examples": [DEMAND_EXAMPLE]}}

    title: str
    description: str = Field(description="the product, the problem and what a solution must achieve")
    title_en: str = ""
    summary_en: str = ""
    field: FieldValue = Field(description="technology field: an IPC section, A–H")
    ipc_codes: list[str] = Field(default_factory=list, description="IPC codes or leading parts (H01M is enough)")
    deal_kinds: list[DealKindValue] = Field(description="at least one")
    budget_min_fen: int | None = Field(None, ge=0, le=MAX_FEN, description="in fen; leave both empty if open")
    budget_max_fen: int | None = Field(None, ge=0, le=MAX_FEN, description="in fen")
    city: CityValue
    deadline: date = Field(description="the last day the demand is open; after today")
    contact_policy: ContactPolicyValue = "open"


class DemandPatch(Schema):
    """Only the fields sent change; the rest stays."""

    model_config = {"json_schema_extra": {"examples": [{"deadline": "2027-09-30", "budget_max_fen": 300_000_000}]}}

    title: str | None = None
    description: str | None = None
    title_en: str | None = None
    summary_en: str | None = None
    field: FieldValue | None = None
    ipc_codes: list[str] | None = None
    deal_kinds: list[DealKindValue] | None = None
    budget_min_fen: int | None = Field(None, ge=0, le=MAX_FEN)
    budget_max_fen: int | None = Field(None, ge=0, le=MAX_FEN)
    city: CityValue | None = None
    deadline: date | None = None
    contact_policy: ContactPolicyValue | None = None


class DemandCloseIn(Schema):
    close_reason: CloseReasonValue = Field(description="solved, or withdrawn")


class OwnDemandOut(DemandOut):
    status: StatusValue
    moderation_note: str = Field(description="the reviewer's reason when a submitted demand was sent back")
    close_reason: CloseReasonValue | Literal[""]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None


class OwnDemandPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[OwnDemandOut]


class OwnDemandParams(Schema):
    status: StatusValue | None = Field(None, description="only demands in this status")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(50, ge=1, le=200)


def _yuan(fen) -> str:
    return "" if fen is None else str(Decimal(fen) / 100)


def _form_data(values: dict) -> dict:
    """A demand's values as the workspace form receives them (amounts in yuan, IPC codes in one line)."""
    return {
        **{name: "" if values.get(name) is None else str(values[name]) for name in DemandForm.base_fields},
        "ipc_codes": "; ".join(values.get("ipc_codes") or []),
        "deal_kinds": list(values.get("deal_kinds") or []),
        "budget_min_fen": _yuan(values.get("budget_min_fen")),
        "budget_max_fen": _yuan(values.get("budget_max_fen")),
        "deadline": values["deadline"].isoformat() if values.get("deadline") else "",
    }


def _checked(values: dict) -> dict:
    form = DemandForm(_form_data(values))
    if not form.is_valid():
        raise InvalidData(form_errors(form))
    return form.cleaned_data


def _serialise_own(demand: Demand, request: HttpRequest) -> dict:
    return OwnDemandOut.model_validate(
        {
            **_serialise(demand, request),
            **{name: getattr(demand, name) for name in ("status", "moderation_note", "close_reason")},
            **{name: getattr(demand, name) for name in ("created_at", "updated_at", "submitted_at")},
        }
    ).model_dump(mode="json")


def _own(request: HttpRequest, demand_id: int) -> Demand:
    """A demand of the token's organisation; another organisation's is not found, as if it did not exist."""
    if not 0 < demand_id <= MAX_ID:
        raise Http404("No demand of your organisation with this id.")
    rows = demands_of_member(request.auth.actor).filter(organisation=request.auth.organisation)
    demand = rows.filter(pk=demand_id).first()
    if demand is None:
        raise Http404("No demand of your organisation with this id.")
    return demand


def _fresh(demand: Demand) -> Demand:
    return Demand.objects.select_related("organisation", "centre").get(pk=demand.pk)


@organisation_router.get("", response={200: OwnDemandPage, **ERRORS}, auth=READ, summary="The organisation's demands")
def list_own(request: HttpRequest, params: Query[OwnDemandParams]):
    """Every technology demand of the token's organisation, in every status. Scope: `read` or `demands:write`."""
    rows = demands_of_member(request.auth.actor).filter(organisation=request.auth.organisation)
    if params.status:
        rows = rows.filter(status=params.status)
    return api_page(
        rows, page=params.page, page_size=params.page_size, serialise=lambda demand: _serialise_own(demand, request)
    )


@organisation_router.get("/{demand_id}", response={200: OwnDemandOut, **WITH_404}, auth=READ, summary="One demand")
def get_own(request: HttpRequest, demand_id: int):
    """Scope: `read` or `demands:write`. Another organisation's demand is not found (404)."""
    return _serialise_own(_own(request, demand_id), request)


@organisation_router.post(
    "",
    response={201: OwnDemandOut, 409: NotFoundOut, **ERRORS},
    auth=WRITE,
    summary="Create a draft demand",
    openapi_extra=idempotency_key_parameter("demand"),
)
def create_own(request: HttpRequest, payload: DemandIn, response: HttpResponse):
    """A draft demand of the organisation (which must be verified), hosted by its operation centre, checked as
    the workspace's demand form checks it (a field, at least one kind of deal, a budget not upside down, a
    deadline after today). A refusal saves nothing and names each field (422). Scope: `demands:write`."""
    organisation = request.auth.organisation

    def make() -> tuple[int, dict]:
        cleaned = _checked(payload.model_dump())
        demand = demand_create(actor=request.auth.actor, organisation=organisation, **cleaned)
        return 201, _serialise_own(_fresh(demand), request)

    status, body, replayed = created_once(request, organisation, make)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body)


@organisation_router.patch("/{demand_id}", response={200: OwnDemandOut, **WITH_404}, auth=WRITE, summary="Change")
def update_own(request: HttpRequest, demand_id: int, payload: DemandPatch):
    """Change what is sent, checked as the workspace's form checks the whole demand; the rest stays. A draft,
    published or paused demand may change (a published one's page follows); a submitted one waits for its review.
    Scope: `demands:write`."""
    demand = _own(request, demand_id)
    current = {name: getattr(demand, name) for name in DemandForm.base_fields}
    cleaned = _checked({**current, **payload.model_dump(exclude_unset=True)})
    demand_update(demand=demand, actor=request.auth.actor, **cleaned)
    return _serialise_own(_fresh(demand), request)


def _move(request: HttpRequest, demand_id: int, to_status: str, **details) -> dict:
    demand = _own(request, demand_id)
    note = f"API token {request.auth.token.prefix}…"
    demand_set_status(demand=demand, to_status=to_status, actor=request.auth.actor, note=note, **details)
    return _serialise_own(_fresh(demand), request)


@organisation_router.post(
    "/{demand_id}/submit", response={200: OwnDemandOut, **WITH_404}, auth=WRITE, summary="Submit for review"
)
def submit_own(request: HttpRequest, demand_id: int):
    """A draft goes to the hosting centre's staff, who publish it or send it back with a reason (the demand's
    `moderation_note`). Scope: `demands:write`."""
    return _move(request, demand_id, DemandStatus.SUBMITTED)


@organisation_router.post(
    "/{demand_id}/close", response={200: OwnDemandOut, **WITH_404}, auth=WRITE, summary="Close a demand"
)
def close_own(request: HttpRequest, demand_id: int, payload: DemandCloseIn):
    """The organisation closes the demand, in any open status: solved, or withdrawn. Scope: `demands:write`."""
    return _move(request, demand_id, DemandStatus.CLOSED, close_reason=payload.close_reason)
