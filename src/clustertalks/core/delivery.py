"""One engine for outgoing messages (emails, webhook deliveries): claim, lease, send, retry with
backoff, give up.

Every message is a row. A worker claims ONE due row at a time, in one statement (an UPDATE of
the row its sub-select picks, with `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite runs one
writing statement at a time), which sets a short lease (`DELIVERY_LEASE_SECONDS`) and counts the
attempt. It sends it, then records the outcome of that one message in its own statement. So a worker killed
while sending re-sends at most the one message it was on (after its lease), and no other message
waits on a dead worker.

A failed send is retried after an exponential backoff, up to the outbox's maximum attempts; then
the row is marked failed. A `ChannelDown` error (the SMTP server is unreachable or does not
answer) ends the pass: the other messages wait for the next pass instead of each waiting for the
same timeout.
"""

import contextlib
import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model, Q
from django.utils import timezone

log = logging.getLogger(__name__)

# Set by the worker on SIGTERM/SIGINT: a pass stops after the message it is on.
shutdown = threading.Event()


class ChannelDown(Exception):
    """The way out (SMTP server, network) is down: stop this pass, try again later."""


class DeliveryFailed(Exception):
    """One message failed; `fields` are extra columns to record (e.g. an HTTP status)."""

    def __init__(self, message: str, **fields):
        super().__init__(message)
        self.fields = fields


def lease() -> dt.timedelta:
    """How long a claimed message is reserved for the worker sending it. Longer than any send
    can take (every connection has a timeout), short enough that a crash delays little."""
    return dt.timedelta(seconds=getattr(settings, "DELIVERY_LEASE_SECONDS", 120))


def exponential_backoff(first: dt.timedelta, longest: dt.timedelta) -> Callable[[int], dt.timedelta]:
    """first, 2×first, 4×first... after the 1st, 2nd, 3rd failed attempt, at most `longest`."""

    def delay(attempts: int) -> dt.timedelta:
        return min(first * 2 ** max(attempts - 1, 0), longest)

    return delay


@dataclasses.dataclass(frozen=True)
class Outbox:
    """How one kind of message is stored and sent.

    `open_sender()` returns a context manager yielding `send(row) -> dict` (extra fields to
    store on success); `send` raises DeliveryFailed / ChannelDown / any exception on failure.
    """

    name: str
    model: type[Model]
    open_sender: Callable[[], AbstractContextManager]
    waiting: tuple[str, ...]  # states a due row may be claimed from
    sending: str  # state while claimed
    done: str
    failed: str
    done_at_field: str
    max_attempts: Callable[[], int]
    backoff: Callable[[int], dt.timedelta]
    error_length: int = 2000
    select_related: tuple[str, ...] = ()

    def rows(self):
        return self.model._default_manager.all()

    def due(self, now) -> Q:
        return Q(status__in={*self.waiting, self.sending}, next_attempt_at__lte=now)


def claim_one(outbox: Outbox, ids=None, now=None, *, sent=None) -> Model | None:
    """Take one due message for this worker, or None, in one statement:
    ``UPDATE ... WHERE id = (SELECT id ... LIMIT 1 [FOR UPDATE SKIP LOCKED]) RETURNING *``.
    On PostgreSQL rows another worker is claiming are skipped, not waited for; SQLite runs one
    writing statement at a time, so the sub-select and the update cannot be interleaved.

    `sent`: (row, fields) of the message this worker has just sent; on PostgreSQL it is marked
    sent by the same statement (one round trip per message instead of two), elsewhere by a
    statement just before."""
    done = None
    if sent is not None:
        done = (sent[0], _outcome(outbox, sent[0], fields=sent[1]))
        if connections[outbox.rows().db].vendor != "postgresql":
            _write(outbox, *done)
            done = None
    while True:
        row = _claim_statement(outbox, ids, now or timezone.now(), done)
        done = None
        if row is None:
            return None
        if row.attempts <= outbox.max_attempts():
            if outbox.select_related:
                row = outbox.rows().select_related(*outbox.select_related).get(pk=row.pk)
            return row
        # Its earlier attempts ended with the worker dying: do not try forever.
        _record(outbox, row, error="The worker stopped while sending; given up.", give_up=True)


def _claim_statement(outbox: Outbox, ids, at, done=None) -> Model | None:
    model = outbox.model
    connection = connections[outbox.rows().db]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    field = model._meta.get_field
    states = [*outbox.waiting, outbox.sending]
    at_db = field("next_attempt_at").get_db_prep_value(at, connection)
    until_db = field("next_attempt_at").get_db_prep_value(at + lease(), connection)
    wanted = ""
    params = [outbox.sending, until_db, *states, at_db]
    if ids is not None:
        ids = list(ids)
        wanted = f" AND {pk} IN ({', '.join(['%s'] * len(ids))})" if ids else " AND 1 = 0"
        params.extend(ids)
    skip_locked = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    prefix = ""
    if done is not None:
        sent, values = done
        columns = ", ".join(f"{quote(field(name).column)} = %s" for name in values)
        prefix = f"WITH done AS (UPDATE {table} SET {columns} WHERE {pk} = %s AND status = %s) "
        params = [*(field(name).get_db_prep_save(value, connection) for name, value in values.items()),
                  sent.pk, outbox.sending, *params]
        for name, value in values.items():
            setattr(sent, name, value)
    sql = prefix + (
        f"UPDATE {table} SET status = %s, attempts = attempts + 1, next_attempt_at = %s "
        f"WHERE {pk} = (SELECT {pk} FROM {table} WHERE status IN ({', '.join(['%s'] * len(states))}) "
        f"AND next_attempt_at <= %s{wanted} ORDER BY next_attempt_at, {pk} LIMIT 1{skip_locked}) "
        f"RETURNING *"
    )
    # One statement in autocommit: claimed and committed at once.
    rows = list(model._default_manager.db_manager(connection.alias).raw(sql, params))
    return rows[0] if rows else None


def _record(outbox: Outbox, row, *, error: str = "", give_up: bool = False, fields=None) -> None:
    """Write the outcome of one attempt, in its own statement (autocommit)."""
    _write(outbox, row, _outcome(outbox, row, error=error, give_up=give_up, fields=fields))


def _write(outbox: Outbox, row, values: dict) -> None:
    outbox.rows().filter(pk=row.pk, status=outbox.sending).update(**values)
    for name, value in values.items():
        setattr(row, name, value)


def _outcome(outbox: Outbox, row, *, error: str = "", give_up: bool = False, fields=None) -> dict:
    now = timezone.now()
    values = dict(fields or {})
    if not error:
        values.update(status=outbox.done, next_attempt_at=None if _nullable(outbox) else now,
                      last_error="", **{outbox.done_at_field: now})
    else:
        give_up = give_up or row.attempts >= outbox.max_attempts()
        values.update(
            status=outbox.failed if give_up else outbox.waiting[0],
            last_error=error[: outbox.error_length],
            next_attempt_at=(None if _nullable(outbox) else now) if give_up
            else now + outbox.backoff(row.attempts),
        )
    return values


def _nullable(outbox: Outbox) -> bool:
    return outbox.model._meta.get_field("next_attempt_at").null


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


@dataclasses.dataclass
class Pass:
    sent: int = 0
    tried: int = 0


def run(outbox: Outbox, ids=None, *, deadline: float | None = None, limit: int | None = None,
        now: dt.datetime | None = None) -> Pass:
    """Send due messages of `outbox` (only `ids` when given) one by one. Stops when nothing is
    due, on `shutdown`, at `deadline` (time.monotonic()), after `limit` messages, or when the
    channel is down. `now` stands in for the clock when claiming (tests)."""
    done = Pass()
    just_sent = None  # (row, fields): marked sent together with the next claim
    with outbox.open_sender() as send, _commits_without_waiting_for_disk(outbox):
        try:
            while not shutdown.is_set():
                if deadline is not None and time.monotonic() >= deadline:
                    break
                if limit is not None and done.tried >= limit:
                    break
                row, just_sent = claim_one(outbox, ids, now, sent=just_sent), None
                if row is None:
                    break
                done.tried += 1
                outcome, fields = _send_one(outbox, row, send)
                if outcome == "sent":
                    done.sent += 1
                    just_sent = (row, fields)
                if outcome == "down":
                    break
        finally:
            if just_sent is not None:
                _record(outbox, just_sent[0], fields=just_sent[1])
    return done


@contextlib.contextmanager
def _commits_without_waiting_for_disk(outbox: Outbox):
    """On PostgreSQL, the claims and "sent" marks of a pass commit without waiting for the WAL
    flush (`synchronous_commit = off`: about 2 ms instead of 10 ms a message on a busy disk).
    They are visible to other workers at once and survive a worker crash; only a crash of
    PostgreSQL itself may forget the last fraction of a second of them, and then those messages
    are sent again (never lost: a forgotten claim makes a message due again)."""
    connection = connections[outbox.rows().db]
    if connection.vendor != "postgresql" or not connection.get_autocommit():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:  # a broken connection is closed anyway; keep the first error
            connection.close()


def _send_one(outbox: Outbox, row, send) -> tuple[str, dict]:
    """Send one message; a failure is recorded here, a success by the caller."""
    try:
        fields = send(row) or {}
    except ChannelDown as error:
        _record(outbox, row, error=str(error))
        log.warning("%s: channel down (%s); the rest waits for the next pass", outbox.name, error)
        return "down", {}
    except DeliveryFailed as error:
        _record(outbox, row, error=str(error), fields=error.fields)
    except Exception as error:  # noqa: BLE001 - one bad message must not stop the others
        _record(outbox, row, error=describe(error))
    else:
        return "sent", fields
    log.warning("%s %s failed (attempt %s): %s", outbox.name, row.pk, row.attempts, row.last_error)
    return "failed", {}


def deliver(outbox: Outbox, ids=None, **options) -> int:
    """`run()`, returning how many messages were sent."""
    return run(outbox, ids, **options).sent


# ---------------------------------------------------------------------------- registry

_OUTBOXES: dict[str, Callable[[], Outbox]] = {}


def register(name: str, factory: Callable[[], Outbox]) -> None:
    """Make an outbox known to the worker, which drains every registered outbox when idle."""
    _OUTBOXES[name] = factory


def outboxes() -> list[Outbox]:
    return [factory() for factory in _OUTBOXES.values()]


def deliver_all(*, deadline: float | None = None) -> int:
    """One pass over every registered outbox (the worker's idle loop)."""
    return sum(deliver(outbox, deadline=deadline) for outbox in outboxes())
