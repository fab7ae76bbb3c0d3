from django.core.management.base import BaseCommand, CommandError

from payments.services import payments_reconcile


class Command(BaseCommand):
    help = "Compare our card payments with the gateway's records. Exits non-zero when anything differs."

    def handle(self, *args, **options):
        mismatches = payments_reconcile()
        for mismatch in mismatches:
            self.stdout.write(f"payment {mismatch.payment_id or '-'} {mismatch.reference or '-'}: {mismatch.problem}")
        if mismatches:
            raise CommandError(f"{len(mismatches)} mismatch(es) between our records and the gateway.")
        self.stdout.write(self.style.SUCCESS("Payments reconcile: no mismatch."))
