from django.core.management.base import BaseCommand

from clustertalks.branding.demo import load_identity_demo
from clustertalks.materials.demo import load_materials_demo
from clustertalks.materials.demo import summary_lines as materials_summary_lines
from clustertalks.people.demo import load_photo_demo
from clustertalks.talks.demo import describe_demo_topics, load_demo, summary_lines
from clustertalks.talks.demo import SERIES as DEMO_SERIES
from clustertalks.talks.models import Series


class Command(BaseCommand):
    help = (
        "Load the EU Clusters Talks demo: the series, its two real seed talks and a generated "
        "sample history (marked as sample), with their materials. Running it again creates only "
        "what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-sample",
            action="store_true",
            help="Load only the series and the two seed talks, without the generated history.",
        )

    def handle(self, *args, **options):
        counts = load_demo(stdout=self.stdout, sample=not options["no_sample"])
        for line in summary_lines(counts):
            self.stdout.write(line)
        for line in materials_summary_lines(load_materials_demo(stdout=self.stdout)):
            self.stdout.write(line)
        describe_demo_topics()
        if not options["no_sample"]:
            photos = load_photo_demo()
            self.stdout.write(f"Speaker portraits (drawn, for sample speakers): {photos} added")
        series = Series.objects.filter(slug=DEMO_SERIES["slug"]).first()
        if series:
            _identity, made = load_identity_demo(series)
            self.stdout.write(f"Identity of {series.name}: {'created' if made else 'kept'}.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
