from django.core.management.base import BaseCommand, CommandError

from cms.services import HomePageMissing, centre_sections_sync


class Command(BaseCommand):
    help = (
        "Give every operation centre its news section, editors group (its staff), permissions and the provincial "
        "centre's approval workflow. Idempotent; run it after adding centres."
    )

    def handle(self, *args, **options):
        try:
            sections = centre_sections_sync()
        except HomePageMissing as error:
            raise CommandError(str(error)) from error
        for section in sections:
            self.stdout.write(
                f"{section.centre.slug}: {section.page.url_path} ({section.group.user_set.count()} editors)"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(sections)} centre sections in step."))
