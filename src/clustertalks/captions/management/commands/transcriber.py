from django.core.management import call_command
from django.core.management.base import BaseCommand

from clustertalks.captions import engine
from clustertalks.captions.tasks import QUEUE


class Command(BaseCommand):
    help = ("Run the transcription worker: automatic captions, one recording at a time "
            "(needs the optional extra: " + engine.INSTALL_HINT + ").")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args, batch, **options):
        reason = engine.unavailable_reason()
        if reason:
            self.stderr.write(reason)
        # The project's worker (heartbeat, graceful stop, recovery of a dead worker's task) on
        # the transcription queue; the periodic sweeps are left to the main workers.
        call_command("worker", queue=QUEUE, batch=batch, no_schedule=True,
                     verbosity=options["verbosity"])
