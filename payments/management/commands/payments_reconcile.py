from django.core.management.base import BaseCommand, CommandError

from payments.services import payments_reconcile_report


class Command(BaseCommand):
    help = (
        "Settle open card attempts and refunds to what the gateway says, then compare our card payments with the "
        "gateway's records. The task runner does this every few minutes; exits non-zero when anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Compare every card payment, not the last 30 days'.")

    def handle(self, *args, **options):
        report = payments_reconcile_report(compare_all=options["all"])
        for line in report.settled:
            self.stdout.write(f"settled: {line}")
        for mismatch in report.mismatches:
            self.stdout.write(f"payment {mismatch.payment_id or '-'} {mismatch.reference or '-'}: {mismatch.problem}")
        if report.mismatches:
            raise CommandError(f"{len(report.mismatches)} mismatch(es) between our records and the gateway.")
        self.stdout.write(self.style.SUCCESS("Payments reconcile: no mismatch."))
