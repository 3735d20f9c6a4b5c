"""50 people register at once for a talk with 20 places, each in its own thread and database
connection. Run as a script (a fresh file SQLite database, or DATABASE_URL) or imported by the
tests. Prints the number of registrations in each state, as JSON."""

import datetime as dt
import json
import os
import sys
import threading


def run_signups(talk, people: int = 50, twice: bool = False) -> dict:
    """With `twice`, every address signs up from two threads at once (a double click)."""
    from django.db import connection

    from clustertalks.registrations import services
    from clustertalks.registrations.models import Registration

    barrier = threading.Barrier(people)
    errors = []

    def sign_up(n):
        try:
            barrier.wait()
            who = n // 2 if twice else n
            attendee = services.Attendee(f"P{who}", f"p{who}@example.org", "Org", "cluster", "BE", "M")
            services.register(talk, attendee)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = {s: Registration.objects.filter(talk=talk, status=s).count()
              for s in ("approved", "waitlisted", "pending")}
    return {**counts, "errors": errors, "email_tasks": email_tasks(talk)}


def email_tasks(talk) -> dict:
    """How many registration emails were asked for, by kind: the tasks queued for the worker
    (the database backend of a script run) or the emails the tasks queued at once (the
    immediate backend of the test settings)."""
    from django_tasks_db.models import DBTaskResult

    from clustertalks.core.models import OutboundEmail
    from clustertalks.registrations.models import Registration

    registrations = Registration.objects.filter(talk=talk)
    ids = set(registrations.values_list("pk", flat=True))
    kinds: dict = {}
    for args in (DBTaskResult.objects.filter(task_path__endswith="send_registration_email")
                 .values_list("args_kwargs", flat=True)):
        registration_id, kind = args["args"][:2]
        if registration_id in ids:
            kinds[kind] = kinds.get(kind, 0) + 1
    emails = OutboundEmail.objects.filter(to__in=registrations.values("email"),
                                          kind__startswith="registration:")
    for kind in emails.values_list("kind", flat=True):
        kind = kind.removeprefix("registration:")
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def make_talk_with_capacity(capacity: int = 20):
    from django.utils import timezone

    from clustertalks.registrations.models import RegistrationPolicy
    from clustertalks.talks.models import Series, Talk

    series = Series.objects.create(name=f"Concurrency {timezone.now().timestamp()}")
    start = timezone.now() + dt.timedelta(days=7)
    talk = Talk.objects.create(series=series, title="Crowded", start=start,
                               end=start + dt.timedelta(hours=1), status="published")
    RegistrationPolicy.objects.create(talk=talk, capacity=capacity)
    return talk


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = run_signups(make_talk_with_capacity(), int(sys.argv[1]) if len(sys.argv) > 1 else 50,
                         twice="--twice" in sys.argv)
    print(json.dumps(result))
