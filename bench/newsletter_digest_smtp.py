"""Time to send one digest to N confirmed subscribers through a local SMTP sink, and duplicates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_recap_bench \
        .venv/bin/python bench/newsletter_digest_smtp.py [--subscribers 20000]

Makes N confirmed subscribers and a digest, marks it for sending (as the back office's "Send"
does), then runs in this process what the worker runs: the digest task (writes the outbox rows)
and the outbox's delivery sweep, then the sweep again (it must send nothing). `--worker` runs
`clustertalks worker --batch` twice instead (adds process start-up and the periodic sweeps).
Counts what the aiosmtpd sink received per address. Aim: 20,000 in under 3 minutes. Only
loopback traffic; bounded by --subscribers.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from registrations_http import django_setup  # noqa: E402
from reminders_smtp import run_worker, start_sink  # noqa: E402 - the same SMTP sink and worker run


def make_digest(subscribers: int):
    from django.utils import timezone

    from clustertalks.newsletter.models import Digest, Subscriber

    stamp = int(timezone.now().timestamp())
    Subscriber.objects.bulk_create([
        Subscriber(email=f"n{stamp}-{n}@example.org", status="confirmed",
                   confirmed_at=timezone.now(), token=f"bench-{stamp}-{n}")
        for n in range(subscribers)], batch_size=2000)
    today = timezone.localdate()
    digest = Digest.objects.create(period_start=today, period_end=today + dt.timedelta(days=30),
                                   subject="Benchmark digest", body="## Next talk\n\nSoon.",
                                   status=Digest.Status.DRAFT)
    return digest, f"n{stamp}-"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20000)
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_recap_bench")
    sink, controller, env = start_sink(database)
    try:
        django_setup(env)
        from django.db import connection
        from django_tasks_db.models import DBTaskResult

        from clustertalks.newsletter import digests

        DBTaskResult.objects.filter(status__in=["READY"]).delete()  # a clean queue
        digest, prefix = make_digest(args.subscribers)
        digests.start_sending(digest)  # what the back office's "Send" button does
        if args.worker:
            connection.close()
            first = run_worker({**os.environ, **env}, timeout=900)
            second = run_worker({**os.environ, **env}, timeout=900)
        else:
            from clustertalks.core import mail
            from clustertalks.newsletter.tasks import send_digest

            started = time.perf_counter()
            send_digest.call(digest.pk)
            queued = time.perf_counter() - started
            mail.deliver()
            first = time.perf_counter() - started
            print(f"outbox rows written in {queued:.1f} s")
            started = time.perf_counter()
            mail.deliver()
            second = time.perf_counter() - started
    finally:
        controller.stop()
    mine = {a: n for a, n in sink.received.items() if a.startswith(prefix)}
    duplicates = sum(n - 1 for n in mine.values() if n > 1)
    print(f"{len(mine)}/{args.subscribers} digests delivered in {first:.1f} s "
          f"(worker start-up included); second run {second:.1f} s; duplicates: {duplicates}")
    if len(mine) != args.subscribers or duplicates:
        raise SystemExit("missing or duplicated digests")


if __name__ == "__main__":
    main()
