"""The open, read-only figures API (信息互联互通): GET /api/v1/indicators, /api/v1/indicators/by/{dimension} and
/api/v1/indicators/progress, in the same OpenAPI document as the listing API.

A thin adapter over the selectors the dashboard and the exports use: the schemas document and type the
parameters, `FiguresForm` applies the rules every indicators page applies (a quarter or a month needs a year, a
month falls in its quarter, the centre exists), and the selectors compute. Only public aggregates: the deals
behind a figure stay behind the staff-only drill-down. Amounts are integer fen (1 yuan = 100 fen), CNY.
"""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field, field_validator

from indicators.forms import FIRST_YEAR, LAST_YEAR, FiguresForm
from indicators.selectors import (
    BREAKDOWNS,
    PERIODS,
    FigureRow,
    Filters,
    disclosed_progress,
    disclosed_row,
    disclosed_rows,
    figures,
    grouping_title,
    headline,
    progress,
    sees_every_figure,
    year_to_date,
)
from listings.models import Mode
from listings.patents.ipc import IPC_SECTIONS
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind

router = Router(tags=["indicators"])

# Dynamic Literals: the OpenAPI document lists the allowed values, and pydantic names them in its reason.
Dimension = Literal[(*PERIODS, *BREAKDOWNS)]
CityValue = Literal[tuple(City.values)]
SellerKind = Literal[tuple(OrganisationKind.values)]
IpcSection = Literal[tuple(IPC_SECTIONS)]
ModeValue = Literal[tuple(Mode.values)]

FEN = "integer fen (1 yuan = 100 fen), CNY"


# --- Parameters ------------------------------------------------------------------------------------------------


class FigureFilters(Schema):
    """A period and dimension filters; an empty or missing one means all."""

    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="year of booking, e.g. 2026")
    quarter: int | None = Field(None, ge=1, le=4, description="1–4; needs a year")
    month: int | None = Field(None, ge=1, le=12, description="1–12; needs a year, and must fall in the quarter")
    centre: int | None = Field(
        None, description="operation centre id: the centre and every centre below it in the 1+X tree"
    )
    city: CityValue | None = Field(None, description="the seller's city (prefecture-level, Zhejiang)")
    seller_kind: SellerKind | None = None
    ipc_section: IpcSection | None = Field(None, description="technology field: the main IPC code's section, A–H")
    mode: ModeValue | None = None

    @field_validator("*", mode="before")
    @classmethod
    def empty_means_all(cls, value):
        return None if value == "" else value


class SummaryParams(FigureFilters):
    by: list[Dimension] = Field(
        default_factory=list, description="breakdowns to include (repeatable: by=city&by=centre)"
    )


class ProgressParams(Schema):
    year: int = Field(..., ge=FIRST_YEAR, le=LAST_YEAR)
    quarter: int | None = Field(None, ge=1, le=4, description="to the end of this quarter (year to date)")

    @field_validator("quarter", mode="before")
    @classmethod
    def empty_means_whole_year(cls, value):
        return None if value == "" else value


# --- Responses -------------------------------------------------------------------------------------------------


class FiltersOut(Schema):
    year: int | None
    quarter: int | None
    month: int | None
    centre: int | None
    city: CityValue | None
    seller_kind: SellerKind | None
    ipc_section: IpcSection | None
    mode: ModeValue | None


HIDDEN = (
    "null when fewer than INDICATORS_MIN_DEALS deals built the figure (the small-cell rule; a centre's staff, "
    "signed in, see it)"
)


class FigureRowOut(Schema):
    key: str = Field(
        description="the group: '' for the total, 2026 / 2026-Q2 / 2026-05 for periods, a city or seller-type "
        "slug, a centre id, an IPC section letter ('' when unclassified), a mode"
    )
    label: str = Field(description="the group's name in the request's language")
    depth: int = Field(description="for centres, the depth below the centre in scope (0 elsewhere)")
    turnover_fen: int | None = Field(description=f"technology-market turnover (contract totals), {FEN}; {HIDDEN}")
    technology_amount_fen: int | None = Field(
        description=f"technology transaction amount within the turnover, {FEN}; {HIDDEN}"
    )
    licensing_contracted_fen: int | None = Field(description=f"IP licensing revenue, contracted, {FEN}; {HIDDEN}")
    licensing_received_fen: int | None = Field(
        description=f"IP licensing revenue, received net of refunds, {FEN}; {HIDDEN}"
    )
    deals: int | None = Field(description=f"completed deals, net of reversals; {HIDDEN}")
    suppressed: bool = Field(False, description="true when the small-cell rule hides this row's figures")
    suppressed_reason: Literal["", "few_deals", "complement"] = Field(
        "",
        description="why a row is hidden: `few_deals` (built from fewer deals than the rule's minimum) or "
        "`complement` (hidden too, so that a lone hidden row cannot be worked out as the total minus the others)",
    )


class ProgressOut(Schema):
    indicator: str
    label: str
    year: int
    actual_fen: int | None = Field(
        description=f"the province's figure for the year (or to the quarter's end), {FEN}; {HIDDEN}"
    )
    target_fen: int = Field(description=f"the target set for this very year, {FEN}")
    target_year: int = Field(description="the year of the target: always the year asked for")
    percent: float | None


class FiguresOut(Schema):
    currency: Literal["CNY"] = "CNY"
    unit: Literal["fen"] = "fen"
    filters: FiltersOut
    total: FigureRowOut
    breakdowns: dict[str, list[FigureRowOut]] = Field(description="one list of rows per `by` asked for")
    progress: list[ProgressOut] = Field(description="province-wide progress to target; empty without a year")


class BreakdownOut(Schema):
    currency: Literal["CNY"] = "CNY"
    unit: Literal["fen"] = "fen"
    filters: FiltersOut
    by: Dimension
    title: str
    total: FigureRowOut
    rows: list[FigureRowOut] = Field(
        description="every group in order, zeros included; centres roll up, so a centre's row includes its "
        "sub-centres' and centre rows do not add up to the total"
    )


class ProgressListOut(Schema):
    currency: Literal["CNY"] = "CNY"
    unit: Literal["fen"] = "fen"
    year: int
    quarter: int | None
    progress: list[ProgressOut]


# --- Adapting ----------------------------------------------------------------------------------------------------


def _invalid(errors: list[tuple[str, str]]) -> NinjaValidationError:
    """Errors in the shape ninja gives its own (["query", name]), so the project's handler names the parameters
    as it names those the schema refuses; "request" for a rule about several of them."""
    return NinjaValidationError(
        [
            {"loc": ["query"] if parameter == "request" else ["query", parameter], "msg": str(reason)}
            for parameter, reason in errors
        ]
    )


def _refuse_unknown(request: HttpRequest, known: set[str]) -> None:
    """A misspelt filter (`yaer=2026`) would silently give every year's figures: refuse it instead."""
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise _invalid([(name, _("Unknown parameter.")) for name in unknown])


def _validated(form) -> dict:
    """The cleaned data of a form of the indicators pages, or a 4xx with the form's reasons."""
    if not form.is_valid():
        raise _invalid(
            [
                ("request" if field == "__all__" else field, message)
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    return form.cleaned_data


def _filters(request: HttpRequest, params: FigureFilters, extra: tuple[str, ...] = ()) -> Filters:
    _refuse_unknown(request, set(FigureFilters.model_fields) | set(extra))
    data = {name: value for name, value in params.dict().items() if name in FigureFilters.model_fields}
    form = FiguresForm({name: value for name, value in data.items() if value is not None})
    _validated(form)
    return form.filters()


def _filters_out(filters: Filters) -> dict:
    return {
        "year": filters.year,
        "quarter": filters.quarter,
        "month": filters.month,
        "centre": filters.centre_id,
        "city": filters.city or None,
        "seller_kind": filters.seller_kind or None,
        "ipc_section": filters.ipc_section or None,
        "mode": filters.mode or None,
    }


def _rows(request: HttpRequest, rows: list[FigureRow]) -> list[dict]:
    shown = rows if sees_every_figure(request.user) else disclosed_rows(rows)
    return [row.as_dict() for row in shown]


def _total(request: HttpRequest, filters: Filters) -> dict:
    row = headline(filters)
    return (row if sees_every_figure(request.user) else disclosed_row(row)).as_dict()


def _progress(request: HttpRequest, year: int, quarter: int | None = None) -> list[dict]:
    # The province's targets of that very year; an indicator without one is left out.
    items = [item for item in progress(year, up_to_quarter=quarter) if item.has_target]
    if not sees_every_figure(request.user):
        deals = (year_to_date(year, quarter) if quarter else headline(Filters(year=year))).deals
        items = disclosed_progress(items, deals)
    return [item.as_dict() for item in items]


def _open_data(response: HttpResponse) -> None:
    # Open data (信息互联互通): any site may read the figures from a browser.
    response["Access-Control-Allow-Origin"] = "*"


# --- Operations --------------------------------------------------------------------------------------------------


@router.get("", response=FiguresOut, summary="Headline figures for a period, with breakdowns and progress")
def indicator_figures(request: HttpRequest, response: HttpResponse, params: Query[SummaryParams]):
    """The figures for the filters (all years when no year is given), any breakdowns asked for with `by`,
    and, for a year, the province's progress to each target. The same numbers as the dashboard and the exports."""
    filters = _filters(request, params, extra=("by",))
    _open_data(response)
    return {
        "filters": _filters_out(filters),
        "total": _total(request, filters),
        "breakdowns": {by: _rows(request, figures(filters, by)) for by in dict.fromkeys(params.by)},
        "progress": _progress(request, filters.year) if filters.year else [],
    }


@router.get("/by/{dimension}", response=BreakdownOut, summary="The figures broken down by one dimension")
def indicator_breakdown(
    request: HttpRequest,
    response: HttpResponse,
    dimension: Path[Dimension],
    params: Query[FigureFilters],
):
    """One row per year, quarter or month (from the first with figures to the last), city, operation centre
    (rolled up the 1+X tree, below the `centre` filter if any), seller type, IPC section or mode."""
    filters = _filters(request, params)
    _open_data(response)
    return {
        "filters": _filters_out(filters),
        "by": dimension,
        "title": grouping_title(dimension),
        "total": _total(request, filters),
        "rows": _rows(request, figures(filters, dimension)),
    }


@router.get("/progress", response=ProgressListOut, summary="Progress to the province's targets")
def indicator_progress(request: HttpRequest, response: HttpResponse, params: Query[ProgressParams]):
    """The province's figures for a year, or for the year to the end of a quarter, against each indicator's
    target set for that same year (the plan's 2020 targets for 2020); indicators without one are left out."""
    _refuse_unknown(request, set(ProgressParams.model_fields))
    _open_data(response)
    return {"year": params.year, "quarter": params.quarter, "progress": _progress(request, params.year, params.quarter)}
