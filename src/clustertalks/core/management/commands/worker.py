import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand


def periodic_tasks():
    """(task, every how many seconds): sweeps that must run even when nobody enqueues them.
    Each is safe to run twice at once (several workers), so every worker may schedule them."""
    from clustertalks.captions.tasks import resume_stalled_transcriptions
    from clustertalks.core.tasks import deliver_due_emails
    from clustertalks.registrations.tasks import (
        anonymise_old_registrations,
        send_due_reminders,
    )

    return [(deliver_due_emails, 60), (send_due_reminders, 60), (anonymise_old_registrations, 3600),
            (resume_stalled_transcriptions, 300)]


def schedule_forever(stop: threading.Event, tick: int = 60) -> None:
    elapsed = 0
    while not stop.is_set():
        for task, every in periodic_tasks():
            if elapsed % every == 0:
                task.enqueue()
        stop.wait(tick)
        elapsed += tick


class Command(BaseCommand):
    help = "Run the background task worker (emails, reminders, anonymisation, indexing)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--no-schedule", action="store_true",
                            help="Do not enqueue the periodic sweeps (reminders, retries...).")

    def handle(self, *args, batch, no_schedule, **options):
        stop = threading.Event()
        if batch and not no_schedule:
            for task, _every in periodic_tasks():
                task.enqueue()
        elif not no_schedule:
            threading.Thread(target=schedule_forever, args=(stop,), daemon=True,
                             name="clustertalks-scheduler").start()
        try:
            call_command("db_worker", batch=batch, verbosity=options["verbosity"])
        finally:
            stop.set()
