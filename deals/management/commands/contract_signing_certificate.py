"""Write a self-signed contract-signing certificate (PKCS#12, no passphrase) to a file: for a staging server or
`make check-deploy`, which need a certificate but no real one. Production signs with a certificate of its own."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deals.contracts.signing import self_signed_pkcs12


class Command(BaseCommand):
    help = "Write a self-signed contract-signing certificate (PKCS#12) to PATH, unless PATH exists."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if path.exists():
            self.stdout.write(f"{path} exists; left as it is")
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        with os.fdopen(descriptor, "wb") as file:
            file.write(self_signed_pkcs12())
        self.stdout.write(f"Self-signed contract-signing certificate written to {path}")
