from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from portal.demo.seed import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Print the code the demo staff and brokers type at the second step of log-in now (their authenticator "
        "key is published in docs/accounts.md): for trying the demo without an authenticator app."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG and not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Only for a demo site (DEBUG on, or DEMO_DATA_ALLOWED=true).")
        self.stdout.write(f"{totp(DEMO_TOTP_KEY):06d}")
