"""Statements PostgreSQL parses and plans once per connection, for the few run on every sign-up.

Django binds parameters on the client (psycopg's ClientCursor): each statement reaches
PostgreSQL as new text, which it parses and plans again. On a sign-up that is about a third of
PostgreSQL's CPU, most of it for the talk's wide query with its series and policies joined.
`prepared_cursor()` gives a cursor that binds on the server, so psycopg prepares a statement
once it has run `prepare_threshold` times (5, settings) on a connection; later runs only bind
and execute (psycopg keeps up to 100 per connection, least recently used dropped). A
connection that lives for one request only (DB_CONN_MAX_AGE=0) thus never pays for preparing.

Opt-in per statement rather than Django's `server_side_binding` for every query: with
server-side binding PostgreSQL must infer each parameter's type, which some queries do not
allow (e.g. a bare `SELECT %s`); the statements that use this are few and tested on PostgreSQL.
A prepared statement lives on its connection: PostgreSQL plans it again when a table it reads
changes, psycopg forgets them all after a rollback, and one that fails is prepared afresh on
its next run. DB_PREPARED_STATEMENTS=0 (settings) turns preparing off, e.g. behind a pooler in
transaction mode. Elsewhere (SQLite) this is the connection's ordinary cursor.
"""

from __future__ import annotations

import functools


def prepared_cursor(connection):
    """A cursor of `connection` (Django's wrapper: queries are counted and logged as usual)
    whose statements are prepared on the server."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _preparing_cursor_class()(connection.connection)
        _use_connection_time_zone(connection, cursor)
        return connection._prepare_cursor(cursor)


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=prepare, binary=binary)
            if self._query is None:
                # psycopg keeps no query on a cursor that ran a prepared statement; Django's
                # query log (debug, the tests' query counts) reads it there.
                self._query = self._convert_query(query, params)
            return self

    return PreparingCursor


def _use_connection_time_zone(connection, cursor) -> None:
    """As Django's create_cursor() does for its own cursors."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, Format, register_tzloader

    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)
