"""CSV and XLSX exports of the figures. They read the same selectors as the dashboard, so their totals are the
dashboard's. Amounts are in yuan with two decimals, exact (from integer fen, never a float)."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from indicators.selectors import (
    FigureRow,
    Filters,
    disclosed_row,
    disclosed_rows,
    figures,
    grouping_title,
    headline,
)

FEN_PER_YUAN = Decimal(100)


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ExportTable:
    by: str
    filters: Filters
    header: list[str]
    rows: list[list]
    total: list
    hidden: bool = False  # some figures are "—" under the small-cell rule

    @property
    def filename_stem(self) -> str:
        period = str(self.filters.year or "all")
        if self.filters.quarter:
            period += f"-q{self.filters.quarter}"
        if self.filters.month:
            period += f"-m{self.filters.month:02d}"
        return f"indicators-{period}-{self.by}"


HIDDEN = "—"  # the small-cell rule (indicators/selectors/disclosure.py)


def _cells(row: FigureRow) -> list:
    if row.suppressed:
        return [HIDDEN] * 5
    return [
        yuan(row.turnover_fen),
        yuan(row.technology_amount_fen),
        yuan(row.licensing_contracted_fen),
        yuan(row.licensing_received_fen),
        row.deals,
    ]


def export_table(filters: Filters, by: str, *, in_full: bool = False) -> ExportTable:
    """The rows of one grouping and a total that is the headline (for centres, which add into their ancestors,
    the rows do not sum to it); under the small-cell rule unless `in_full` (the centres' staff)."""
    header = [
        _("Code"),
        grouping_title(by),
        _("Technology-market turnover (yuan)"),
        _("Technology transaction amount (yuan)"),
        _("Licensing revenue, contracted (yuan)"),
        _("Licensing revenue, received (yuan)"),
        _("Deals completed"),
    ]
    grouped = figures(filters, by) if by != "total" else []
    total_row = headline(filters)
    if not in_full:
        grouped, total_row = disclosed_rows(grouped), disclosed_row(total_row)
    rows = [[row.key, row.label, *_cells(row)] for row in grouped]
    total = ["", _("Total"), *_cells(total_row)]
    hidden = any(row.suppressed for row in [*grouped, total_row])
    return ExportTable(by=by, filters=filters, header=header, rows=rows, total=total, hidden=hidden)


def _about(table: ExportTable) -> list[tuple[str, str]]:
    filters = table.filters.as_params() or {"": _("all periods, the whole province")}
    lines = [
        (_("Figures"), _("Zhejiang IP Exchange indicators, from the append-only ledger of completed deals")),
        (_("Grouped by"), grouping_title(table.by)),
        (_("Filters"), ", ".join(f"{name}={value}" if name else value for name, value in filters.items())),
        (_("Unit"), _("yuan (CNY), exact to the fen")),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    if table.by == "centre":
        lines.append((_("Note"), _("A centre's figures include those of the centres below it.")))
    if table.hidden:
        lines.append(
            (
                HIDDEN,
                _(
                    "Hidden: built from fewer than %(minimum)d deals, a figure would tell what one party paid; a "
                    "figure that would let the total reveal a hidden one is hidden as well."
                )
                % {"minimum": settings.INDICATORS_MIN_DEALS},
            )
        )
    return lines


def write_csv(table: ExportTable, stream: io.TextIOBase) -> None:
    # A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    writer.writerow(table.total)


def csv_text(table: ExportTable) -> str:
    stream = io.StringIO()
    write_csv(table, stream)
    return stream.getvalue()


def xlsx_bytes(table: ExportTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = grouping_title(table.by)[:31]
    sheet.append(table.header)
    for row in table.rows:
        sheet.append(row)
    sheet.append(table.total)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in "CDEF":
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
        sheet.column_dimensions[column].width = 24
    sheet.column_dimensions["B"].width = 32
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet(_("About"))
    for line in _about(table):
        about.append(list(line))
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 80
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
