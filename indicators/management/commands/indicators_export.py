"""`manage.py indicators_export --year 2026 --format xlsx [--quarter 3] [--by city] [--output file]`: the figures
for any period and dimension, with the same totals as the dashboard (it reads the same selectors)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators import exports
from indicators.exports import yuan
from indicators.forms import ExportForm
from indicators.selectors import GROUPINGS, headline


class Command(BaseCommand):
    help = "Export the indicators as CSV or XLSX for a period, grouped by one dimension."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Year (every year when left out).")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12")
        parser.add_argument("--by", choices=GROUPINGS, default="city", help="Grouping (default: city).")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--centre", type=int, help="Operation centre id (with the centres below it).")
        parser.add_argument("--city", default="")
        parser.add_argument("--seller-kind", default="")
        parser.add_argument("--ipc-section", default="")
        parser.add_argument("--mode", default="")
        parser.add_argument(
            "--output",
            help="File to write (default: indicators-<period>-<by>.<format> here; '-' for stdout, CSV only).",
        )

    def handle(self, *args, **options) -> None:
        params = {
            name: options[name]
            for name in (
                "year",
                "quarter",
                "month",
                "by",
                "format",
                "centre",
                "city",
                "seller_kind",
                "ipc_section",
                "mode",
            )
            if options[name] not in (None, "")
        }
        form = ExportForm(params)
        if not form.is_valid():
            reasons = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            raise CommandError(reasons)
        table = exports.export_table(form.filters(), form.cleaned_data["by"])
        file_format = form.cleaned_data["format"]
        output = options["output"] or f"{table.filename_stem}.{file_format}"
        if output == "-":
            if file_format != "csv":
                raise CommandError("Only CSV can be written to standard output.")
            exports.write_csv(table, sys.stdout)
            return
        if file_format == "xlsx":
            Path(output).write_bytes(exports.xlsx_bytes(table))
        else:
            Path(output).write_text(exports.csv_text(table), encoding="utf-8", newline="")
        total = headline(form.filters())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output}: {len(table.rows)} rows; turnover {yuan(total.turnover_fen)} yuan, "
                f"licensing contracted {yuan(total.licensing_contracted_fen)}, "
                f"received {yuan(total.licensing_received_fen)}."
            )
        )
