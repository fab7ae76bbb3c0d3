from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder under DESTINATION, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination: Path, **options):
        try:
            folder = backup(Path(destination))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
