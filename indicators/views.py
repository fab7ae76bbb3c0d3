"""The indicators pages (dashboard, drill-down, quarterly report) and the exports: thin adapters that validate
the parameters, call the selectors and render. The figures as JSON are the open API's (indicators/api.py)."""

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from indicators import exports
from indicators.forms import DashboardForm, DrilldownForm, ExportForm, FiguresForm, ReportForm
from indicators.models import Indicator, quarter_of
from indicators.selectors import (
    GROUPINGS,
    FigureRow,
    Filters,
    can_drill_down,
    disclosed_progress,
    disclosed_row,
    disclosed_rows,
    entries_behind,
    figures,
    grouping_title,
    headline,
    progress,
    sees_every_figure,
    trend,
    year_to_date,
    years_with_figures,
)
from marketplace.centres.selectors import centres_staffed_by, staff_scope

DASHBOARD_BREAKDOWNS = ("city", "centre", "seller_kind", "ipc_section", "mode")
DRILLDOWN_PAGE_SIZE = 50


def _url(name: str, params: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _row_filters(filters: Filters, by: str, row: FigureRow) -> Filters | None:
    """The filters that select exactly one row of a breakdown or of a trend; None when no filter can (an
    unclassified field)."""
    if not row.key:
        return None
    if by == "year":
        return replace(filters.without_period(), year=int(row.key))
    if by in ("quarter", "month"):
        year, part = row.key.split("-")
        return replace(filters.without_period(), year=int(year), **{by: int(part.lstrip("Q"))})
    if by == "centre":
        return replace(filters, centre_id=int(row.key))
    return replace(filters, **{by: row.key})


def breakdown_heading(by: str) -> str:
    return {
        "quarter": _("Trend by quarter"),
        "year": _("By year"),
        "month": _("By month"),
        "city": _("By city"),
        "centre": _("By operation centre"),
        "seller_kind": _("By seller type"),
        "ipc_section": _("By technology field (IPC section)"),
        "mode": _("By mode"),
    }[by]


@dataclass
class Breakdown:
    by: str
    title: str
    heading: str
    rows: list[tuple[FigureRow, str | None]]  # each row with the drill-down link the viewer may follow
    csv_url: str
    xlsx_url: str


def _for_reader(request: HttpRequest, rows: list[FigureRow]) -> list[FigureRow]:
    """The rows as this reader may see them: the public under the small-cell rule, the centres' staff in full."""
    return rows if sees_every_figure(request.user) else disclosed_rows(rows)


def _breakdown(request: HttpRequest, filters: Filters, by: str, rows: list[FigureRow]) -> Breakdown:
    is_staff = staff_scope(request.user).is_staff
    rows = _for_reader(request, rows)
    linked = []
    for row in rows:
        row_filters = _row_filters(filters, by, row) if is_staff else None
        allowed = row_filters is not None and can_drill_down(request.user, row_filters)
        linked.append((row, _url("indicators:drilldown", row_filters.as_params()) if allowed else None))
    export_params = {**filters.as_params(), "by": by}
    return Breakdown(
        by=by,
        title=grouping_title(by),
        heading=breakdown_heading(by),
        rows=linked,
        csv_url=_url("indicators:export", {**export_params, "format": "csv"}),
        xlsx_url=_url("indicators:export", {**export_params, "format": "xlsx"}),
    )


def _chart_labels() -> dict[str, str]:
    return {
        "turnover": _("Technology-market turnover"),
        "licensing_contracted": _("Licensing revenue (contracted)"),
        "licensing_received": _("Licensing revenue (received)"),
        "unit": _("10,000 yuan"),
        "updated": _("Figures updated."),
        "live": _("Live: these figures change as soon as a deal completes."),
        "deals": _("Deals"),
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "year" not in data:
        # The current year unless the visitor asks otherwise ("year=" means every year).
        data["year"] = str(timezone.localdate().year)
    form = DashboardForm(data)
    if not form.is_valid():
        return render(request, "indicators/dashboard.html", {"form": form}, status=400)
    filters = form.filters()
    breakdowns = [_breakdown(request, filters, by, figures(filters, by)) for by in DASHBOARD_BREAKDOWNS]
    trend_rows = _for_reader(request, trend(filters))
    scope = staff_scope(request.user)
    total = headline(filters)
    year_progress = progress(filters.year) if filters.year else []
    if not scope.is_staff:
        year_progress = disclosed_progress(year_progress, headline(Filters(year=filters.year)).deals)
        total = disclosed_row(total)
    today = timezone.localdate()
    report_year = filters.year or today.year
    report_quarter = filters.quarter or (quarter_of(today.month) if report_year == today.year else 4)
    chart_data = {
        "api": reverse("api:indicator_figures"),
        "socket": "/ws/indicators/",
        "query": urlencode(filters.as_params()),
        "trendQuery": urlencode(filters.without_period().as_params()),
        "labels": _chart_labels(),
        "trend": [row.as_dict() for row in trend_rows],
        "breakdowns": {item.by: [row.as_dict() for row, _link in item.rows] for item in breakdowns},
    }
    context = {
        "form": form,
        "filters": filters,
        "total": total,
        "total_link": _url("indicators:drilldown", filters.as_params())
        if can_drill_down(request.user, filters)
        else None,
        "progress": year_progress,
        "trend": _breakdown(request, filters.without_period(), "quarter", trend_rows),
        "breakdowns": breakdowns,
        "years": years_with_figures(),
        "staff_centres": centres_staffed_by(request.user) if scope.is_staff else [],
        "filter_params": sorted(filters.as_params().items()),
        "groupings": [(by, grouping_title(by)) for by in GROUPINGS],
        "report_url": _url("indicators:report", {"year": report_year, "quarter": report_quarter}),
        "chart_data": chart_data,
        "small_cell_minimum": 0 if scope.is_staff else settings.INDICATORS_MIN_DEALS,
    }
    return render(request, "indicators/dashboard.html", context)


@login_required
def drilldown(request: HttpRequest) -> HttpResponse:
    form = DrilldownForm(request.GET)
    if not form.is_valid():
        return render(request, "indicators/drilldown.html", {"form": form}, status=400)
    filters = form.filters()
    if not can_drill_down(request.user, filters):
        raise PermissionDenied(_("Only the staff of the centres hosting these deals may see them."))
    indicator = form.cleaned_data["indicator"]
    entries = entries_behind(request.user, filters, indicator)
    page = Paginator(entries, DRILLDOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    query.update({**filters.as_params(), **({"indicator": indicator} if indicator else {})})
    context = {
        "form": form,
        "filters": filters,
        "described": _describe(form),
        "indicator_label": Indicator(indicator).label if indicator else "",
        "page": page,
        "totals": entries.values("indicator").annotate(total=Sum("amount_fen")).order_by("indicator"),
        "query": query.urlencode(),
        "dashboard_url": _url("indicators:dashboard", filters.as_params()),
        "sees_everything": staff_scope(request.user).everything,
    }
    return render(request, "indicators/drilldown.html", context)


def _describe(form: FiguresForm) -> list[tuple[str, str]]:
    """The filters in words: [("Operation centre", "宁波知识产权交易中心"), ("Year", "2026")]."""
    described = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        choices = dict(getattr(field, "choices", []))
        described.append((str(field.label), str(choices.get(value, value))))
    return described


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("by", "city")
    data.setdefault("format", "csv")
    form = ExportForm(data)
    if not form.is_valid():
        return JsonResponse({"detail": "invalid parameters", "errors": _form_errors(form)}, status=400)
    table = exports.export_table(form.filters(), form.cleaned_data["by"], in_full=sees_every_figure(request.user))
    if form.cleaned_data["format"] == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(table), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{table.filename_stem}.xlsx"
    else:
        response = HttpResponse(exports.csv_text(table), content_type="text/csv; charset=utf-8")
        filename = f"{table.filename_stem}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("quarter", str(quarter_of(today.month)))
    form = ReportForm(data)
    if not form.is_valid():
        return render(request, "indicators/report.html", {"form": form}, status=400)
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    filters = Filters(year=year, quarter=quarter)
    by_quarter = {row.key: row for row in figures(Filters(year=year), "quarter")}
    summary_rows = [
        (f"{year} Q{number}", by_quarter.get(f"{year}-Q{number}") or FigureRow(key=f"{year}-Q{number}"))
        for number in range(1, quarter + 1)
    ]
    summary_rows.append((_("Year to date"), year_to_date(year, quarter)))
    year_progress = progress(year, up_to_quarter=quarter)
    if not sees_every_figure(request.user):
        year_progress = disclosed_progress(year_progress, summary_rows[-1][1].deals)
    disclosed = _for_reader(request, [row for _label, row in summary_rows])
    context = {
        "form": form,
        "year": year,
        "quarter": quarter,
        "summary_rows": [(label, row) for (label, _row), row in zip(summary_rows, disclosed, strict=True)],
        "progress": year_progress,
        "breakdowns": [_breakdown(request, filters, by, figures(filters, by)) for by in DASHBOARD_BREAKDOWNS],
        "generated_at": timezone.localtime(),
    }
    return render(request, "indicators/report.html", context)


def _form_errors(form) -> list[dict[str, str]]:
    errors = []
    for field, messages in form.errors.items():
        errors += [{"parameter": "request" if field == "__all__" else field, "reason": message} for message in messages]
    return errors


@require_GET
def api_moved(request: HttpRequest) -> HttpResponse:
    """The figures API moved to /api/v1/indicators (in the OpenAPI document beside the listings): send old
    clients there with their filters; a comma-separated `by=city,centre` becomes the repeated `by`."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name == "by":
            values = [part.strip() for value in values for part in value.split(",") if part.strip()]
        query.setlist(name, values)
    target = reverse("api:indicator_figures")
    response = HttpResponsePermanentRedirect(f"{target}?{query.urlencode()}" if query else target)
    response["Access-Control-Allow-Origin"] = "*"
    return response
