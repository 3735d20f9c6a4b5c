from django.core.management.base import BaseCommand

from clustertalks.search import services


class Command(BaseCommand):
    help = "Rebuild the whole search index from the archive (published talks only)."

    def handle(self, *args, **options):
        def progress(label, done, total):
            self.stdout.write(f"{label}: {done}/{total}")

        counts = services.reindex(progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {counts['documents']} documents from {counts['talks']} talks, "
                f"{counts['people']} people and {counts['organisations']} organisations."
            )
        )
