from django.core.management.base import BaseCommand

from cms.demo import seed_cms_demo


class Command(BaseCommand):
    help = (
        "Create the demo site's pages: the home page (the default site's root), 政策法规 with the demo articles, "
        "关于我们, 帮助中心 and the operation centres' news sections. Idempotent; run it after the centres exist."
    )

    def handle(self, *args, **options):
        counts = seed_cms_demo()
        self.stdout.write(self.style.SUCCESS(", ".join(f"cms {name}: {count}" for name, count in counts.items())))
