"""The statistics page and the recap dossier (HTML, PDF, CSV) on a 10,000-talk archive.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_recap_bench \
        .venv/bin/python bench/recap_10k.py [--talks 10000] [--rounds 5]

Builds N held talks (2010 onwards, 3 speakers, 3 takeaways, one recording each, materials
published) with bulk inserts, then times each page with Django's test client and counts its
queries. Prints one line per page: median and worst time, queries, size.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from registrations_http import django_setup, ensure_database  # noqa: E402


def build(talks: int):
    from django.utils import timezone

    from clustertalks.materials.models import Recording, Takeaway, TalkSummary
    from clustertalks.people.models import Organisation, Participation, Person
    from clustertalks.talks.models import Series, Talk, Topic

    series = Series.objects.create(name="EU Clusters Talks", slug="eu-clusters-talks")
    topics = [Topic.objects.create(name=n) for n in
              ["Green transition", "Digital transition", "Supply chains", "Funding", "Skills",
               "Technologies", "Resilience", "Internationalisation"]]
    kinds = [k for k, _l in Organisation.Kind.choices]
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"Org {i}", slug=f"org-{i}", kind=kinds[i % len(kinds)],
                     country=["BE", "DE", "FR", "IT", "ES", "PL", "SE", "PT"][i % 8])
        for i in range(400)])
    people = Person.objects.bulk_create([
        Person(name=f"Person {i}", slug=f"person-{i}", gender=["woman", "man", ""][i % 3])
        for i in range(3000)])
    base = dt.datetime(2010, 1, 6, 7, 30, tzinfo=dt.UTC)
    step = (timezone.now() - dt.timedelta(days=30) - base) / talks
    made = Talk.objects.bulk_create([
        Talk(series=series, title=f"Talk {i}: clusters and the twin transition", slug=f"talk-{i}",
             status="published", start=base + step * i, end=base + step * i + dt.timedelta(hours=1))
        for i in range(talks)], batch_size=2000)
    link = Talk.topics.through
    link.objects.bulk_create([link(talk=t, topic=topics[(i + k) % 8])
                              for i, t in enumerate(made) for k in range(2)], batch_size=5000)
    Participation.objects.bulk_create([
        Participation(talk=t, person=people[(i * 3 + k) % 3000], organisation=orgs[(i + k) % 400],
                      role="speaker", order=k) for i, t in enumerate(made) for k in range(3)],
        batch_size=5000)
    Recording.objects.bulk_create([Recording(talk=t, source="youtube", url="https://youtu.be/x",
                                             duration_seconds=3600) for t in made], batch_size=5000)
    Takeaway.objects.bulk_create([
        Takeaway(talk=t, kind=Takeaway.Kind.values[(i + k) % 6], order=k, topic=topics[(i + k) % 8],
                 text=f"Takeaway {k} of talk {i}: clusters should pool resources for the transition.")
        for i, t in enumerate(made) for k in range(3)], batch_size=5000)
    TalkSummary.objects.bulk_create([TalkSummary(talk=t, materials_published_at=t.end)
                                     for t in made], batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh planner statistics, as autovacuum would give
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return series


def timed(client, url, rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, size = [], 0, 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(ctx.captured_queries), len(response.content)
    return statistics.median(times), max(times), queries, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--talks", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_recap_bench")
    ensure_database(database)
    django_setup({"DATABASE_URL": database, "ALLOWED_HOSTS": "testserver",
                  "CLUSTERTALKS_VAR": tempfile.mkdtemp(prefix="ct-bench-")})
    from django.contrib.auth.models import User
    from django.test import Client

    started = time.perf_counter()
    series = build(args.talks)
    print(f"built {args.talks} talks in {time.perf_counter() - started:.1f} s")
    visitor, organiser = Client(), Client()
    organiser.force_login(User.objects.create_superuser("bench", "b@example.org", "x"))
    dossier = f"/admin/insights/seriesrecap/{series.pk}/dossier/"
    pages = [
        ("statistics, all time", visitor, f"/series/{series.slug}/statistics/", args.rounds),
        ("statistics, one year", visitor, f"/series/{series.slug}/statistics/?year=2020", args.rounds),
        ("statistics, all series", visitor, "/statistics/", args.rounds),
        ("dossier HTML, one year", organiser, dossier + "?year=2020", args.rounds),
        ("dossier CSV, all time", organiser, dossier + "?format=csv", 1),
        ("dossier HTML, all time", organiser, dossier, 1),
        ("dossier PDF, one year", organiser, dossier + "?year=2020&format=pdf", 1),
    ]
    for name, client, url, rounds in pages:
        median, worst, queries, size = timed(client, url, rounds)
        print(f"{name:26} median {median * 1000:8.0f} ms  worst {worst * 1000:8.0f} ms  "
              f"{queries:3} queries  {size / 1024:8.0f} kB")


if __name__ == "__main__":
    main()
