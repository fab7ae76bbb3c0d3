"""The indicators pages (dashboard, drill-down, quarterly report) and the exports: thin adapters that validate
the parameters, call the selectors and render. The figures as JSON are the open API's (indicators/api.py)."""

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from indicators import exports
from indicators.forms import DashboardForm, DrilldownForm, ExportForm, FiguresForm, ReportForm, TargetForm
from indicators.models import Indicator, IndicatorTarget, quarter_of
from indicators.selectors import (
    COMPLEMENT,
    GROUPINGS,
    FigureRow,
    Filters,
    can_drill_down,
    demands_solved,
    disclosed_progress,
    disclosed_row,
    disclosed_rows,
    entries_behind,
    figures,
    grouping_title,
    headline,
    progress,
    sees_every_figure,
    target_history,
    target_scopes_for,
    targets_settable_by,
    trend,
    year_to_date,
    years_with_figures,
)
from indicators.services import target_remove, target_set
from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import centres_staffed_by, centres_with_depth, staff_scope

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

    @property
    def has_suppressed(self) -> bool:
        return any(row.suppressed for row, _link in self.rows)

    @property
    def complement_labels(self) -> list[str]:
        """The rows hidden only so that another hidden one cannot be worked out (their note says so)."""
        return [row.label for row, _link in self.rows if row.suppressed_reason == COMPLEMENT]


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
    # Progress of the scope shown (the province, or a centre and those below it) against its target of that year.
    year_progress = progress(filters.year, centre_id=filters.centre_id) if filters.year else []
    if not scope.is_staff:
        year_deals = headline(Filters(year=filters.year, centre_id=filters.centre_id)).deals
        year_progress = disclosed_progress(year_progress, year_deals)
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
        # The open API's progress is the province's: a centre's progress is not redrawn live.
        "liveProgress": filters.centre_id is None,
    }
    context = {
        "form": form,
        "filters": filters,
        "total": total,
        "total_link": _url("indicators:drilldown", filters.as_params())
        if can_drill_down(request.user, filters)
        else None,
        "progress": year_progress,
        "progress_scope": _centre_name(filters.centre_id),
        "target_history": target_history(except_year=filters.year, centre_id=filters.centre_id),
        "manages_targets": bool(target_scopes_for(request.user)),
        "trend": _breakdown(request, filters.without_period(), "quarter", trend_rows),
        "breakdowns": breakdowns,
        "years": years_with_figures(),
        "staff_centres": centres_staffed_by(request.user) if scope.is_staff else [],
        "filter_params": sorted(filters.as_params().items()),
        "groupings": [(by, grouping_title(by)) for by in GROUPINGS],
        "report_url": _url("indicators:report", {"year": report_year, "quarter": report_quarter}),
        "chart_data": chart_data,
        "small_cell_minimum": 0 if scope.is_staff else settings.INDICATORS_MIN_DEALS,
        # Booked by the demands app when a firm closes a demand as solved (indicators.models.SolvedDemand).
        "solved": demands_solved(filters),
    }
    return render(request, "indicators/dashboard.html", context)


def _centre_name(centre_id: int | None) -> str:
    if centre_id is None:
        return ""
    return next((centre.name for centre, _depth in centres_with_depth() if centre.id == centre_id), "")


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """The targets page of the platform's and the centres' administrators: set a target for a year and a scope
    (changing the one already set), or remove one."""
    scopes = target_scopes_for(request.user)
    if not scopes:
        raise PermissionDenied(_("Only the administrators of the platform and of the centres set targets."))
    form = TargetForm(request.POST or None, centres=scopes, initial={"year": timezone.localdate().year})
    if request.method == "POST" and "remove" in request.POST:
        target = get_object_or_404(IndicatorTarget, pk=request.POST["remove"])
        target_remove(target=target, actor=request.user)
        messages.success(request, _("Target removed."))
        return redirect("indicators:targets")
    if request.method == "POST" and form.is_valid():
        centre_id = form.cleaned_data["centre"]
        target_set(
            indicator=form.cleaned_data["indicator"],
            year=form.cleaned_data["year"],
            centre=get_object_or_404(OperationCentre, pk=centre_id) if centre_id else None,
            amount_fen=form.amount_fen,
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(request, _("Target saved."))
        return redirect("indicators:targets")
    context = {
        "form": form,
        "targets": targets_settable_by(request.user),
        "dashboard_url": reverse("indicators:dashboard"),
    }
    return render(request, "indicators/targets.html", context, status=400 if form.errors else 200)


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
        "small_cell_minimum": 0 if sees_every_figure(request.user) else settings.INDICATORS_MIN_DEALS,
    }
    return render(request, "indicators/report.html", context)


def _form_errors(form) -> list[dict[str, str]]:
    errors = []
    for field, reasons in form.errors.items():
        errors += [{"parameter": "request" if field == "__all__" else field, "reason": message} for message in reasons]
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
