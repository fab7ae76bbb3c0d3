import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from marketplace.centres.models import OperationCentre
from matching.tasks import refresh_all_matches
from portal.demo.answers import seed_demand_answers
from portal.demo.auctions import seed_auctions
from portal.demo.deals import seed_deals
from portal.demo.demands import seed_demands
from portal.demo.drives import seed_drive
from portal.demo.listings import MAX_DEMO_LISTINGS, default_workers, seed_listings
from portal.demo.seed import DEMO_TOTP_SECRET, seed_core

DEFAULT_LISTINGS = 500


class Command(BaseCommand):
    help = (
        "Create the demo centres, organisations, users, technology demands, listings and deals. Deterministic and "
        "idempotent: running it again creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a provincial centre.",
        )
        parser.add_argument(
            "--listings",
            type=int,
            default=DEFAULT_LISTINGS,
            metavar="N",
            help=f"Ensure the first N demo listings exist (default {DEFAULT_LISTINGS}; up to {MAX_DEMO_LISTINGS:,}).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Listings generated and inserted per transaction (default 5000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that insert batches side by side (default: one per core on PostgreSQL, one on SQLite).",
        )

    def handle(
        self,
        *args,
        if_empty: bool = False,
        listings: int = DEFAULT_LISTINGS,
        batch_size: int = 5000,
        workers: int | None = None,
        **options,
    ):
        # The demo accounts' passwords are published in the README, the administrator's too: on a real site
        # they would be open doors. Production settings (DEBUG off) need an explicit opt-in; dev and test allow it.
        if not settings.DEBUG and not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Refusing to load the demo data: these settings look like production (DEBUG is off), and the demo "
                "creates a superuser and accounts whose passwords are published in the README. For a throwaway "
                "site (a benchmark, a test server), set DEMO_DATA_ALLOWED=true in the environment."
            )
        if if_empty and OperationCentre.objects.filter(is_root=True).exists():
            self.stdout.write("Demo data already present; nothing to do.")
            self._print_second_step_key()
            return
        if not 0 <= listings <= MAX_DEMO_LISTINGS:
            raise CommandError(f"--listings must be between 0 and {MAX_DEMO_LISTINGS:,}.")
        if batch_size < 1 or (workers is not None and workers < 1):
            raise CommandError("--batch-size and --workers must be at least 1.")
        counts = seed_core()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {count}" for name, count in counts.items())))
        self._print_second_step_key()
        # The CMS pages and policy articles; by command name, because the core must not import the cms app.
        call_command("seed_cms_demo", stdout=self.stdout)
        call_command("seed_payments_demo", stdout=self.stdout)
        demands = seed_demands()
        self.stdout.write(self.style.SUCCESS(f"demands: {demands.planned} ({demands.created} created)"))
        if not listings:
            return

        started = time.monotonic()

        def report(done: int, total: int, created: int) -> None:
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0.0
            self.stdout.write(f"listings: {done:,}/{total:,} checked, {created:,} created ({rate:,.0f}/s)")

        workers = workers or default_workers()
        created = seed_listings(listings, batch_size=batch_size, workers=workers, progress=report)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"listings: {listings} ({created} created in {elapsed:.1f} s)"))
        self._seed_deals()
        self._seed_drive()
        self._seed_answers()
        self._seed_auctions()
        # The demo demands' matches, found by the task runner once it runs: matching needs the search index, which
        # `make run` fills after seeding (matching.tasks.refresh_all_matches is idempotent).
        refresh_all_matches.enqueue()
        self.stdout.write("matches: queued for the task runner")

    def _seed_answers(self) -> None:
        """Sellers' answers to two demo demands (a room opened from one) and a demand solved by a demo deal, after
        the listings and the deals they name."""
        result = seed_demand_answers()
        if result.skipped_reason:
            self.stdout.write(f"demand answers: none added ({result.skipped_reason})")
            return
        solved = "one demand solved" if result.solved else "no demand solved"
        self.stdout.write(self.style.SUCCESS(f"demand answers: {result.answers} ({result.created} created), {solved}"))

    def _seed_auctions(self) -> None:
        """Four bidding rounds on public sellers' listings (in bidding, announced, sold, failed), last: they take
        listings nobody enquired on, so the deals, the drive and the answers above keep theirs."""
        started = time.monotonic()
        result = seed_auctions()
        elapsed = time.monotonic() - started
        if result.skipped_reason:
            self.stdout.write(f"bidding rounds: none added ({result.skipped_reason})")
            return
        self.stdout.write(
            self.style.SUCCESS(f"bidding rounds: {result.rounds} ({result.created} created in {elapsed:.1f} s)")
        )

    def _seed_drive(self) -> None:
        """One finished matching drive of the provincial centre, after the deals (it pushes idle listings only)."""
        result = seed_drive()
        if result.skipped_reason:
            self.stdout.write(f"matching drive: none added ({result.skipped_reason})")
            return
        self.stdout.write(
            self.style.SUCCESS(f"matching drive: {result.firms} firms ({'created' if result.created else 'present'})")
        )

    def _seed_deals(self) -> None:
        """Deals made through the platform's services on the demo listings, backdated over three years, so that
        the deals, contracts, payments and indicators pages show figures on first run. The platform signs their
        contracts on the task runner, as it does for any deal (deals.tasks.seal_contract)."""
        started = time.monotonic()
        result = seed_deals()
        elapsed = time.monotonic() - started
        if result.skipped_reason:
            self.stdout.write(f"deals: none added ({result.skipped_reason})")
            return
        self.stdout.write(self.style.SUCCESS(f"deals: {result.planned} ({result.created} created in {elapsed:.1f} s)"))

    def _print_second_step_key(self) -> None:
        self.stdout.write(
            f"Demo staff and brokers log in with a second step: add the key {DEMO_TOTP_SECRET} to an authenticator "
            "app (TOTP, 6 digits, 30 s), or print the current code with `manage.py demo_code` (docs/accounts.md)."
        )
