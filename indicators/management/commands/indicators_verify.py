"""`manage.py indicators_verify`: recompute the ledger from the deals and the rollup from the ledger, report every
difference, and exit non-zero when there is one. `--rebuild-rollup` first recomputes the rollup (derived data);
nothing here ever changes a ledger entry."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.exports import yuan
from indicators.selectors import verify
from indicators.services import rollup_rebuild

SHOWN = 50


class Command(BaseCommand):
    help = "Check the indicators ledger against the deals, and the rollup against the ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild-rollup", action="store_true", help="Recompute the rollup from the ledger first.")

    def handle(self, *args, rebuild_rollup: bool, **options) -> None:
        if rebuild_rollup:
            rows = rollup_rebuild()
            self.stdout.write(f"Rebuilt the rollup from the ledger: {rows} rows.")
        result = verify()
        for indicator, amount in result.ledger_totals.items():
            expected = result.expected_totals.get(indicator)
            said = f" (the deals say {yuan(expected)})" if expected is not None else ""
            self.stdout.write(f"{indicator}: ledger {yuan(amount)} yuan{said}")
        for title, differences in (("ledger", result.ledger), ("rollup", result.rollup)):
            for difference in differences[:SHOWN]:
                self.stdout.write(f"  {title}: {difference}")
            if len(differences) > SHOWN:
                self.stdout.write(f"  ... and {len(differences) - SHOWN} more {title} differences")
        if not result.ok:
            raise CommandError(
                f"{len(result.ledger)} ledger and {len(result.rollup)} rollup differences.", returncode=1
            )
        self.stdout.write(self.style.SUCCESS("The ledger matches the deals, and the rollup matches the ledger."))
