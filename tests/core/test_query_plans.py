"""At 10,000 talks on SQLite, no public list page reads the whole talks table: every query of
the archive's page 50, a topic, a person and an organisation page is answered from indexes
(EXPLAIN QUERY PLAN has no bare `SCAN talks_talk`; the filter options may read the small tables
of their candidates, one index probe per candidate). The same check for PostgreSQL is
bench/explain_10k.py."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clustertalks.core import pagecache
from tests.core.test_query_counts import build_archive, pages

# EXPLAIN QUERY PLAN is SQLite's; on PostgreSQL the same check is bench/explain_10k.py (EXPLAIN
# with ANALYZE on a seeded database: the planner's choices there depend on statistics).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN; see bench/explain_10k.py"),
]

TABLE_SCAN = re.compile(r"^SCAN (\w+)$")  # "SCAN t USING (COVERING) INDEX i" walks an index instead


def names_of_talks(sql: str) -> set[str]:
    """The talks table and its aliases in a query (Django names them U0, T3, ...)."""
    return {"talks_talk", *re.findall(r'"talks_talk" (\w+)', sql)}


def plans_of(client, url) -> list[tuple[str, list[str]]]:
    caches["pages"].clear()  # cold: the archive's filter options are built too
    pagecache.prime()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"].replace("%", "%%"))
            plans.append((query["sql"], [row[3] for row in cursor.fetchall()]))
    return plans


def test_no_public_list_page_scans_a_table_at_10000_talks(client):
    build_archive(10_000)
    scans = [
        (page, sql[:120], line)
        for page in ("archive p1", "archive p50", "topic", "topic p10", "person", "organisation")
        for sql, plan in plans_of(client, pages()[page])
        for line in plan
        if TABLE_SCAN.match(line) and TABLE_SCAN.match(line).group(1) in names_of_talks(sql)
    ]
    assert scans == []


def test_the_check_sees_a_table_scan(client):
    """The check can fail: a filter on an unindexed column is reported."""
    build_archive(50)
    plans = plans_of(client, pages()["archive p1"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN SELECT id FROM talks_talk WHERE venue = 'x'")
        assert any(TABLE_SCAN.match(row[3]).group(1) in names_of_talks('FROM "talks_talk"')
                   for row in cursor.fetchall() if TABLE_SCAN.match(row[3]))
    assert plans
