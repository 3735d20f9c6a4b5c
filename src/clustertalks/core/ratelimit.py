"""A fixed-window rate limit that every web process shares, with or without Redis.

Counts live in the `ratelimit` cache (settings.CACHES): Redis when REDIS_URL is set, else a
table in the site's database (DatabaseCache), which every process and machine of the site
already shares. A counter that does "get, add one, set" loses counts when two processes race,
and Django's database cache has no atomic increment; so each attempt instead claims a slot key
with `cache.add`, which is atomic on both backends (Redis SET NX; a primary key insert in the
database). An attempt is allowed while one of the window's `limit` slots is still free.

Keys are hashed with the secret key: the table never holds an address or an email in clear.
"""

from django.core.cache import caches
from django.utils import timezone
from django.utils.crypto import salted_hmac

CACHE_ALIAS = "ratelimit"


def _cache():
    try:
        return caches[CACHE_ALIAS]
    except Exception:  # noqa: BLE001 - settings without the alias (e.g. an old test config)
        return caches["default"]


def _digest(scope: str, key: str) -> str:
    return salted_hmac("clustertalks.ratelimit", f"{scope}\0{key}").hexdigest()[:32]


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt of `key` (an address, an email...) in `scope`; False once more than
    `limit` attempts were made in the current window of `window` seconds. A limit of 0 (or
    less) switches the check off."""
    if limit <= 0:
        return True
    cache = _cache()
    bucket = int(timezone.now().timestamp() // window)
    base = f"rl:{scope}:{_digest(scope, key)}:{bucket}"
    slots = [f"{base}:{n}" for n in range(limit)]
    taken = cache.get_many(slots)
    for slot in slots:
        if slot not in taken and cache.add(slot, 1, timeout=window + 5):
            return True
    return False

