"""A fixed-window rate limit that every web process (and machine) shares, with or without Redis.

With REDIS_URL, counts live in Redis (the `ratelimit` cache alias): `add` then `incr`, both
atomic there. Without Redis they live in the site's database, one `RateLimitCount` row per key
and window, inserted or raised by one `INSERT ... ON CONFLICT DO UPDATE SET count = count + 1
WHERE count < limit`: the database applies concurrent upserts one after the other and re-checks
the condition, so no attempt is lost and the limit is exact. A per-process memory
cache would give each gunicorn worker its own count; Django's database cache has no atomic
increment; the file cache is per machine.

Keys are HMACs with the secret key: neither store ever holds an address or an email in clear.
Expired rows are deleted by the hourly retention sweep (core.retention).
"""

import datetime as dt

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitCount
from .prepared import prepared_cursor

CACHE_ALIAS = "ratelimit"


def _key(scope: str, key: str, window: int, now: dt.datetime) -> str:
    bucket = int(now.timestamp() // window)
    digest = salted_hmac("clustertalks.ratelimit", f"{scope}\0{key}").hexdigest()[:40]
    return f"{digest}:{window}:{bucket}"


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt of `key` (an address, an email...) in `scope`; False once `limit`
    attempts were made in the current window of `window` seconds. A limit of 0 (or less)
    switches the check off."""
    if limit <= 0:
        return True
    now = timezone.now()
    counter = _key(scope, key, window, now)
    if CACHE_ALIAS in settings.CACHES:
        return _hit_cache(counter, limit, window)
    return _hit_database(counter, limit, now + dt.timedelta(seconds=window))


def _hit_cache(counter: str, limit: int, window: int) -> bool:
    cache = caches[CACHE_ALIAS]
    cache.add(counter, 0, timeout=window + 5)
    try:
        return cache.incr(counter) <= limit
    except ValueError:  # expired between add and incr: a new window has begun
        cache.add(counter, 1, timeout=window + 5)
        return True


def _hit_database(counter: str, limit: int, expires_at: dt.datetime) -> bool:
    """One statement counts the attempt: insert the window's row, or raise its count if it is
    still under the limit (`ON CONFLICT ... DO UPDATE ... WHERE`, PostgreSQL and SQLite alike).
    No row comes back once the limit is reached. The database applies concurrent upserts one
    after the other and re-checks the condition, so the limit stays exact."""
    table = connection.ops.quote_name(RateLimitCount._meta.db_table)
    key = connection.ops.quote_name("key")
    values, params = "VALUES (%s, 1, %s)", [counter, expires_at, limit]
    prefix = ""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The statement is its own transaction, and set_config(..., true) holds for that
        # transaction only: its commit does not wait for the disk flush (a count lost in a
        # crash of the database server costs nothing). One round trip instead of four (BEGIN,
        # SET LOCAL, the upsert, COMMIT) on every sign-up.
        prefix = "WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)) "
        values = "SELECT %s, 1, %s FROM unflushed"
    sql = (f"{prefix}INSERT INTO {table} ({key}, count, expires_at) {values} "
           f"ON CONFLICT ({key}) DO UPDATE SET count = {table}.count + 1 "
           f"WHERE {table}.count < %s RETURNING count")
    with prepared_cursor(connection) as cursor:  # parsed and planned once per connection
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def prune(now=None) -> int:
    """Delete the counts of windows that are over; returns how many."""
    deleted, _ = RateLimitCount.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
