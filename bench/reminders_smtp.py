"""Time for the task worker to deliver 5,000 reminders to a local SMTP sink, and duplicates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_reg_bench \
        .venv/bin/python bench/reminders_smtp.py [--people 5000]

Makes a talk starting in 30 minutes with N approved registrations, starts an aiosmtpd sink on a
free loopback port, then runs `clustertalks worker --batch` twice (the second run must send
nothing) and counts what the sink received. Only loopback traffic; bounded by --people.
"""

import argparse
import collections
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from registrations_http import django_setup, ensure_database, free_port


class Sink:
    def __init__(self):
        self.received = collections.Counter()

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        return "250 OK"


def make_registrations(people: int):
    from django.utils import timezone

    from clustertalks.registrations.models import Registration
    from clustertalks.talks.models import Series, Talk

    series = Series.objects.create(name=f"Reminders {timezone.now().timestamp()}")
    start = timezone.now() + dt.timedelta(minutes=30)
    talk = Talk.objects.create(series=series, title="Reminded", start=start,
                               end=start + dt.timedelta(hours=1), status="published")
    decided = timezone.now() - dt.timedelta(days=10)
    Registration.objects.bulk_create([
        Registration(talk=talk, name=f"Person {n}", email=f"r{talk.pk}-{n}@example.org",
                     organisation="Org", organisation_type="cluster", country="BE",
                     position="M", status="approved", consented_at=decided, decided_at=decided)
        for n in range(people)], batch_size=1000)
    return talk


def run_worker(env, timeout: int = 600) -> float:
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/clustertalks"), "worker", "--batch"], env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    return time.perf_counter() - started


def start_sink(database: str):
    """A counting SMTP sink on a free loopback port, and the environment that sends to it
    (shared with bench/newsletter_digest_smtp.py)."""
    ensure_database(database)
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {"DATABASE_URL": database, "CLUSTERTALKS_VAR": tempfile.mkdtemp(prefix="ct-bench-"),
           "EMAIL_URL": f"smtp://127.0.0.1:{port}", "LOG_LEVEL": "WARNING"}
    return sink, controller, env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_reg_bench")
    sink, controller, env = start_sink(database)
    try:
        django_setup(env)
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status__in=["READY"]).delete()  # a clean queue
        talk = make_registrations(args.people)
        first = run_worker({**os.environ, **env})
        second = run_worker({**os.environ, **env})
    finally:
        controller.stop()
    mine = {a: n for a, n in sink.received.items() if a.startswith(f"r{talk.pk}-")}
    duplicates = sum(n - 1 for n in mine.values() if n > 1)
    print(f"{len(mine)}/{args.people} reminders delivered in {first:.1f} s "
          f"(worker start-up included); second run {second:.1f} s; duplicates: {duplicates}")
    if len(mine) != args.people or duplicates:
        raise SystemExit("missing or duplicated reminders")


if __name__ == "__main__":
    main()
