"""Statements prepared on the server (core/prepared.py): on PostgreSQL the sign-up's own
statements are parsed and planned once per connection, give the same rows, and still show in
the query log; elsewhere the cursor is the ordinary one."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from django.test.utils import CaptureQueriesContext

from clustertalks.core import ratelimit
from clustertalks.core.prepared import prepared_cursor
from clustertalks.registrations import selectors, services

ATTENDEE = services.Attendee("Ada", "ada@example.org", "O", "cluster", "BE", "P")

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def upcoming(make_talk):
    return make_talk(start=timezone.now() + dt.timedelta(days=7))


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@on_postgresql
def test_a_sign_up_prepares_its_statements_once_per_connection(upcoming):
    talk = upcoming
    services.RegistrationPolicy.objects.create(talk=talk, capacity=10)
    for n in range(6):  # psycopg prepares a statement at its 6th run (threshold 5)
        found = selectors.talk_with_policies(talk.slug)
        services.register(found, services.Attendee("A", f"a{n}@x.org", "O", "cluster", "BE", "P"))
        ratelimit.hit("test", f"a{n}@x.org", 3, 600)
    statements = prepared_statements()
    for table_and_verb in ['FROM "talks_talk" LEFT OUTER JOIN', 'FOR UPDATE',
                           'UPDATE "registrations_registration" SET "status"',
                           'FROM "registrations_registration"', 'INSERT INTO "core_ratelimitcount"']:
        assert sum(table_and_verb in s for s in statements) >= 1, (table_and_verb, statements)
    assert len(statements) == len(set(statements)), "a statement was prepared twice"


@on_postgresql
def test_prepared_statements_give_the_same_rows_and_show_in_the_query_log(db, make_talk):
    talk = make_talk()
    with CaptureQueriesContext(connection) as queries:
        first = selectors.talk_with_policies(talk.slug)
        again = selectors.talk_with_policies(talk.slug)
    assert first.pk == again.pk == talk.pk and again.start == talk.start
    assert again.series.name == talk.series.name
    assert all(query["sql"] and '"talks_talk"' in query["sql"] for query in queries.captured_queries)
    assert selectors.talk_with_policies("no-such-talk") is None


@on_postgresql
def test_with_preparing_switched_off_the_statements_still_run(upcoming):
    psycopg_connection = connection.connection
    threshold, psycopg_connection.prepare_threshold = psycopg_connection.prepare_threshold, None
    try:
        talk = upcoming
        registration, is_new = services.register(selectors.talk_with_policies(talk.slug), ATTENDEE)
        assert is_new and registration.status == "approved"
        assert prepared_statements() == []
    finally:
        psycopg_connection.prepare_threshold = threshold


def test_elsewhere_the_cursor_is_the_ordinary_one(db):
    with prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 1 + %s", [1])
        assert cursor.fetchone()[0] == 2
