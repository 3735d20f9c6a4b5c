"""The query plans of the public list pages at 10,000 talks, on the database DATABASE_URL names
(PostgreSQL; tests/core/test_query_plans.py checks SQLite in the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fast_bench CLUSTERTALKS_VAR=/tmp/x \\
        python bench/explain_10k.py [--talks 10000]

Seeds the archive (bench/seed_archive.py) when the database is empty, requests each page once on
a cold page cache, runs EXPLAIN on every query it issued and prints each plan's scans with the
query's time. Exits 1 when a page reads the whole talks table (a Seq Scan on talks_talk that is
in a query run on every miss: page counts and the once-per-generation filter options are listed
but not counted, see per_generation_or_count).
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from clustertalks.core import pagecache  # noqa: E402
from clustertalks.people.models import Organisation, Person  # noqa: E402
from clustertalks.talks.models import Talk, Topic  # noqa: E402

SCAN = re.compile(r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan)[^\n]* on (\w+)")


def page_urls() -> dict[str, str]:
    person = Person.objects.order_by("pk").first()
    organisation = Organisation.objects.order_by("pk").first()
    topic = Topic.objects.order_by("pk").first()
    return {
        "archive p1": "/talks/",
        "archive p50": "/talks/?page=50",
        "topic": topic.get_absolute_url(),
        "person": person.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
        "talk": Talk.objects.published().order_by("-start").first().get_absolute_url(),
    }


def per_generation_or_count(sql: str) -> str:
    """Queries outside the rule: the archive's filter options and years are built once per
    content generation and shared (talks/filters.py); a page count reads what it counts, and
    PostgreSQL's planner rightly prefers one sequential read of 10,000 rows to thousands of
    index probes when the filter matches a sixth of the archive."""
    if re.match(r'SELECT "\w+"\."slug" AS "slug", "\w+"\."name" AS "name"', sql) or sql.startswith(
        ("SELECT EXISTS(", "SELECT MIN(")
    ):
        return "filter options or years: once per content generation"
    if sql.startswith("SELECT COUNT(*)"):
        return "page count: planner's choice"
    return ""


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--talks", type=int, default=10_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL; the test suite checks SQLite (tests/core/test_query_plans.py)")
    if not Talk.objects.exists():
        from bench.seed_archive import seed

        started = time.perf_counter()
        seed(args.talks)
        print(f"seeded {args.talks} talks in {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    settings.ALLOWED_HOSTS = ["*"]
    client, failures = Client(), []
    print(f"{Talk.objects.count()} talks on {connection.vendor}")
    for name, url in page_urls().items():
        caches["pages"].clear()
        pagecache.prime()
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url).status_code
        print(f"\n== {name} {url} -> {status}, {len(ctx.captured_queries)} queries")
        for query in ctx.captured_queries:
            sql = query["sql"]
            plan = explain(sql, None) if connection.vendor == "postgresql" else ""
            scans = sorted({f"{kind} on {table}" for kind, table in SCAN.findall(plan)})
            took = re.search(r"Execution Time: ([\d.]+) ms", plan)
            print(f"  {float(took.group(1)) if took else 0:7.2f} ms  {sql[:90]}")
            print(f"             {', '.join(scans)}")
            kind = per_generation_or_count(sql)
            if kind:
                print(f"             ({kind})")
            elif "Seq Scan on talks_talk" in scans:
                failures.append((name, sql[:120]))
    print("\nwhole-table reads of talks:", failures or "none")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
