from django.core.management.base import BaseCommand

from marketplace.centres.models import OperationCentre
from payments.models import CollectionAccount

# Invented for the demo: the format of a Chinese bank account, at no real bank branch.
DEMO_ACCOUNT = {
    "account_name": "浙江省知识产权交易中心（演示）",
    "bank_name": "演示银行杭州分行",
    "account_number": "6222 0000 1202 0211 0990",
}


class Command(BaseCommand):
    help = "Give the demo's provincial centre a collection account for bank transfers. Idempotent."

    def handle(self, *args, **options):
        root = OperationCentre.objects.filter(is_root=True).first()
        if root is None:
            self.stdout.write("No provincial centre yet; nothing to do.")
            return
        _account, created = CollectionAccount.objects.get_or_create(centre=root, defaults=DEMO_ACCOUNT)
        self.stdout.write("Demo collection account " + ("created." if created else "already present."))
