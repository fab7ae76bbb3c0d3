from django.core.management.base import BaseCommand

from marketplace.centres.models import OperationCentre
from marketplace.demo.seed import seed_core


class Command(BaseCommand):
    help = "Create the demo centres, organisations and users. Deterministic and idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a provincial centre.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and OperationCentre.objects.filter(is_root=True).exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        counts = seed_core()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {count}" for name, count in counts.items())))
