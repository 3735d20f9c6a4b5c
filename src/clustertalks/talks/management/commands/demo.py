from django.core.management.base import BaseCommand

from clustertalks.materials.demo import load_materials_demo
from clustertalks.materials.demo import summary_lines as materials_summary_lines
from clustertalks.people.demo import load_photo_demo
from clustertalks.talks.demo import describe_demo_topics, load_demo, summary_lines


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
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
