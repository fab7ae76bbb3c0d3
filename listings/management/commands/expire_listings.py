from datetime import date

from django.core.management.base import BaseCommand

from listings.services import listings_expire


class Command(BaseCommand):
    help = (
        "Take off the market every listing whose patent lapsed or reached the end of its term. "
        "Idempotent: safe to run from cron as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, today: date | None = None, **options):
        expired = listings_expire(today=today)
        self.stdout.write(
            f"{len(expired)} listing(s) expired" + (f": {', '.join(map(str, expired))}" if expired else ".")
        )
