"""Helper for the worker tests, run as a script in a process of its own against DATABASE_URL
(a fresh SQLite file, or a fresh PostgreSQL database it creates), so that real
`clustertalks worker` processes can share the database with it:

    worker_scenario.py setup PEOPLE   migrate; a talk in 30 minutes with PEOPLE approved
                                      registrations (their reminder is due); prints its id
    worker_scenario.py state          prints the outbox and the task rows, as JSON
    worker_scenario.py drop           drops the PostgreSQL database
"""

import datetime as dt
import json
import os
import sys
from urllib.parse import urlsplit


def postgres_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    return psycopg.connect(admin, autocommit=True), parts.path.lstrip("/")


def create_database(url: str) -> None:
    if url.startswith("postgres"):
        connection, name = postgres_admin(url)
        with connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    if url.startswith("postgres"):
        connection, name = postgres_admin(url)
        with connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")
    import django

    django.setup()


def setup(people: int) -> dict:
    create_database(os.environ["DATABASE_URL"])
    django_setup()
    from django.core.management import call_command
    from django.utils import timezone

    from clustertalks.registrations.models import Registration
    from clustertalks.talks.models import Series, Talk

    call_command("migrate", verbosity=0)
    series = Series.objects.create(name="Reminded series")
    start = timezone.now() + dt.timedelta(minutes=30)
    talk = Talk.objects.create(series=series, title="Reminded", start=start,
                               end=start + dt.timedelta(hours=1), status="published")
    decided = timezone.now() - dt.timedelta(days=10)
    Registration.objects.bulk_create([
        Registration(talk=talk, name=f"Person {n}", email=f"r{n}@example.org", organisation="Org",
                     organisation_type="cluster", country="BE", position="M", status="approved",
                     consented_at=decided, decided_at=decided)
        for n in range(people)])
    return {"talk": talk.pk}


def state() -> dict:
    django_setup()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from clustertalks.core.models import OutboundEmail

    return {
        "emails": {s: n for s, n in OutboundEmail.objects.values_list("status").annotate(n=Count("pk"))},
        "emails_tried": list(OutboundEmail.objects.order_by("pk").values_list("attempts", "status", "last_error")),
        "tasks": [[r.task_path.rsplit(".", 1)[-1], r.status]
                  for r in DBTaskResult.objects.order_by("enqueued_at")],
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        print(json.dumps(setup(int(sys.argv[2]))))
    elif command == "state":
        print(json.dumps(state()))
    elif command == "drop":
        drop_database(os.environ["DATABASE_URL"])
