"""Render every public page type of the demo series many times; print queries and timings.

    .venv/bin/python bench/pages.py [--rounds 50]

Runs against a throw-away SQLite database (or DATABASE_URL) with the demo data loaded.
Target: every page renders in a fixed number of queries and p95 under 50 ms on one core.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("CLUSTERTALKS_VAR", tempfile.mkdtemp(prefix="ct-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from clustertalks.people.models import Organisation, Person  # noqa: E402
from clustertalks.talks.models import Talk, Topic  # noqa: E402
from clustertalks.talks.demo import load_demo  # noqa: E402


def page_urls() -> dict[str, str]:
    talk = Talk.objects.published().order_by("-start").first()
    person = Person.objects.filter(participations__isnull=False).first()
    organisation = Organisation.objects.filter(participations__isnull=False).first()
    return {
        "home": "/",
        "series": talk.series.get_absolute_url(),
        "talk": talk.get_absolute_url(),
        "talk .ics": talk.get_absolute_url() + "calendar.ics",
        "archive": "/talks/",
        "archive filtered": f"/talks/?topic={Topic.objects.first().slug}&year=2023",
        "archive page 2": "/talks/?page=2",
        "person": person.get_absolute_url(),
        "people": "/people/",
        "organisation": organisation.get_absolute_url(),
        "organisations": "/organisations/",
        "topic": Topic.objects.first().get_absolute_url(),
    }


def measure(client: Client, url: str, rounds: int) -> tuple[int, list[float]]:
    executed = []
    with connection.execute_wrapper(lambda execute, *args: executed.append(1) or execute(*args)):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return len(executed), timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo()
    client = Client()
    print(f"{Talk.objects.count()} talks, {Person.objects.count()} people; {rounds} rounds each")
    print(f"{'page':<18}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for name, url in page_urls().items():
        queries, timings = measure(client, url, rounds)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:<18}{queries:>8}{statistics.median(timings):>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
