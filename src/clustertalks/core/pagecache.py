"""The shared page cache: an anonymous GET of a public page answered without the database.

How it decides (docs/performance.md has the whole story):
- A request may be answered from the cache when it is a GET or HEAD with no session cookie,
  no messages cookie and no Authorization header (organisers, drafts and previews always have
  a session, so they never reach the cache).
- A response is stored when it is a 200 that declared itself public (`Cache-Control: public`,
  which `core.caching.public_page` sets for anonymous visitors, or a path under
  PAGE_CACHE_PUBLIC_PREFIXES such as the API and the feeds), sets no cookie, used no CSRF
  token, varies on nothing but Cookie and Accept-Language, and was not marked with
  `never_page_cache(response)`. 404s and redirects are not stored: they are cheap, and a
  crawler probing junk addresses must not fill the cache.
- The key is host, path, query string and language. The entry holds the content, every
  header (CSP, Vary, ETag...) and the *content generation* it was rendered at: one number,
  shared by all processes, that every write which can change a public page bumps
  (`bump_public_generation`). An entry of an older generation is a miss.
- An entry also expires at the next moment a page may change by itself (a talk starts or
  ends, registration closes): see `next_state_change`.

The middleware sits just inside ConditionalGetMiddleware, so a hit whose ETag matches the
visitor's If-None-Match becomes a 304 at once, and outside everything that renders.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.utils.cache import cc_delim_re, patch_cache_control, set_response_etag
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
NEXT_CHANGE_KEY = "pagecache:next-change:{}"
ALLOWED_VARY = {"cookie", "accept-language"}
SKIPPED_HEADERS = {"set-cookie", "content-length"}


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


# ---------------------------------------------------------------- the content generation

class CacheGeneration:
    """The generation kept in the shared cache (Redis): `incr` is atomic across processes.
    Clearing the cache deletes it too; it then starts again from the clock, so copies a process
    kept (KeptEntries) can never match again."""

    keeps_copies = True

    def __init__(self, cache):
        self.cache = cache

    def read_with(self, key: str, kept: Entry | None = None) -> tuple[int, object]:
        """The current generation and the entry under `key`, in one round trip. With `kept`
        (this process's copy of the entry) only the generation is read, a few bytes instead of
        the page, and `kept` is the answer while it is of the current generation."""
        if kept is not None:
            generation = self.current()
            if kept.generation == generation:
                return generation, kept
            return generation, self.cache.get(key)
        values = self.cache.get_many([GENERATION_KEY, key])
        generation = values.get(GENERATION_KEY)
        if generation is None:
            generation = self.start()
        return generation, values.get(key)

    def current(self) -> int:
        return self.cache.get(GENERATION_KEY) or self.start()

    def start(self) -> int:
        # Start from the clock, not from 1: if the number was evicted, entries stored under an
        # earlier count can never match again.
        self.cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        return self.cache.get(GENERATION_KEY) or 0

    def bump(self) -> None:
        try:
            self.cache.incr(GENERATION_KEY)
        except ValueError:
            self.start()


class FileGeneration(CacheGeneration):
    """The generation kept in a small file under var/, for the embedded set-up whose page
    cache is per process (local memory): every web process and the worker on the machine see a
    bump at once. Reading it is one small file read."""

    def __init__(self, cache, path: Path):
        super().__init__(cache)
        self.path = path

    def current(self) -> int:
        try:
            return int(self.path.read_bytes() or 0)
        except (FileNotFoundError, ValueError):
            self.bump()
            return int(self.path.read_bytes())

    # The page cache is this process's memory already; and its generation lives in a file, which
    # clearing the cache leaves alone, so a copy could outlive a clear.
    keeps_copies = False

    def read_with(self, key: str, kept: Entry | None = None) -> tuple[int, object]:
        return self.current(), self.cache.get(key)

    def bump(self) -> None:
        # A new unique value rather than +1: two processes bumping at once both change it.
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        temporary.write_text(str(time.time_ns()))
        os.replace(temporary, self.path)


def generation_store() -> CacheGeneration:
    cache = page_cache()
    if type(cache).__name__ == "LocMemCache":
        return FileGeneration(cache, Path(settings.PAGE_CACHE_GENERATION_FILE))
    return CacheGeneration(cache)


class RequestGeneration(threading.local):
    """The generation as this request first read it, so that the parts a page builds from it
    (per_generation) ask the shared cache or the file once a request, not once a part. Only
    inside a request (request_started to request_finished): a worker's task or a command
    reads it afresh every time. A bump in this process forgets it; a bump by another process
    during the request is seen by the next request, as it is for the page itself, which is
    stored under the generation read at the start."""

    in_request = False
    value: int | None = None

    def started(self, **kwargs) -> None:
        self.in_request, self.value = True, None

    def finished(self, **kwargs) -> None:
        self.in_request, self.value = False, None

    def remember(self, generation: int) -> int:
        if self.in_request:
            self.value = generation
        return generation


request_generation = RequestGeneration()
request_started.connect(request_generation.started, dispatch_uid="pagecache:request-generation")
request_finished.connect(request_generation.finished, dispatch_uid="pagecache:request-generation")


def current_generation() -> int:
    if request_generation.value is not None:
        return request_generation.value
    return request_generation.remember(generation_store().current())


def bump_now() -> None:
    request_generation.value = None
    try:
        generation_store().bump()
    except Exception:  # the cache being down must not fail a write; entries still expire
        logger.exception("Could not bump the page cache generation")


def _bump_after_commit() -> None:
    connection.page_cache_dirty = False
    bump_now()


def bump_public_generation() -> None:
    """Call after a write that changes a public page without a model signal
    (QuerySet.update, bulk_create, raw SQL). Model saves and deletes bump by themselves.

    Outside a transaction it bumps at once. Inside one, it bumps once when the transaction
    commits (pages rendered by other processes before then showed the old data), and marks this
    connection dirty so that a page requested through this same connection before the commit
    (a test's transaction never commits) bumps first: a thousand writes cost one bump."""
    if not connection.in_atomic_block:
        bump_now()
        return
    connection.page_cache_dirty = True
    registered = any(
        callback is _bump_after_commit for _sids, callback, *_rest in connection.run_on_commit
    )
    if not registered:
        transaction.on_commit(_bump_after_commit)


def bump_if_dirty() -> None:
    """Before answering from the cache: writes this connection made in a transaction still
    open (only ever the case in tests and in a request that wrote) must not be hidden."""
    if getattr(connection, "page_cache_dirty", False):
        connection.page_cache_dirty = False
        bump_now()


# ---------------------------------------------------------------- which writes bump it

def is_public_model(model) -> bool:
    meta = model._meta
    label = f"{meta.app_label}.{meta.object_name}"
    ignored = {name.lower() for name in settings.PAGE_CACHE_IGNORED_MODELS}
    if label.lower() in ignored:
        return False
    public = {name.lower() for name in settings.PAGE_CACHE_PUBLIC_MODELS}
    return meta.app_label.lower() in public or label.lower() in public


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the fixture load as a whole is followed by a bump
        return
    bump_public_generation()


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and (is_public_model(type(instance)) or is_public_model(sender)):
        bump_public_generation()


def connect_public_models() -> None:
    """Every save and delete of a model of the public apps bumps the generation: robust
    against writes added later that nobody remembers to pair with a bump."""
    for model in apps.get_models(include_auto_created=True):
        if is_public_model(model):
            uid = f"pagecache:{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ":delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache:m2m")


@dataclass
class KeptPart:
    generation: int
    value: object
    expires: float


# This process's copies of the per-generation parts it read (a handful: one per name), so that
# a page does not unpickle the identities or the archive's options from the shared cache.
kept_parts: dict[str, KeptPart] = {}


def per_generation(name: str, build, timeout: int | None = None):
    """`build()`'s result, kept in the page cache until the next public write: for parts shared
    by many pages whose cost grows with the archive (the archive's filter options), or that
    every page needs (the identities). The value is shared by the requests of a process: treat
    it as read-only."""
    bump_if_dirty()
    generation = current_generation()
    key = f"pagecache:part:{name}:{generation}"
    timeout = timeout or settings.PAGE_CACHE_SECONDS
    now = time.monotonic()
    kept = kept_parts.get(name)
    if kept is not None and kept.generation == generation and kept.expires > now and _still_shared(key):
        return kept.value
    value = page_cache().get_or_set(key, build, timeout)
    kept_parts[name] = KeptPart(generation, value, now + timeout)
    return value


def _still_shared(key: str) -> bool:
    """With Redis a cleared cache starts a new generation, so a copy of the current one is
    good. The embedded set-up keeps its generation in a file, which clearing the cache leaves
    alone: there the copy is good while the shared entry exists (a look-up, no unpickling)."""
    store = generation_store()
    return store.keeps_copies or store.cache.has_key(key)


# ---------------------------------------------------------------- time-dependent pages

def next_state_change(generation: int) -> float | None:
    """The next moment (epoch seconds) a public page may change with no write: worked out by
    the PAGE_CACHE_STATE_CHANGES functions, once per generation and until it has passed."""
    cache = page_cache()
    key = NEXT_CHANGE_KEY.format(generation)
    now = time.time()
    stored = cache.get(key)
    if stored is not None and (stored[0] is None or stored[0] > now):
        return stored[0]
    from django.utils import timezone

    moment = timezone.now()
    found = [import_string(path)(moment) for path in settings.PAGE_CACHE_STATE_CHANGES]
    upcoming = [when.timestamp() for when in found if when is not None and when > moment]
    at = min(upcoming, default=None)
    cache.set(key, (at,), timeout=settings.PAGE_CACHE_SECONDS)
    return at


def prime() -> None:
    """Do now what the first miss after a write would (bump a pending generation, look up the
    next state change: three small queries once per generation), so that what follows counts
    only a page's own queries. For tests and benchmarks."""
    bump_if_dirty()
    next_state_change(current_generation())
    for path in getattr(settings, "PAGE_CACHE_PRIMERS", []):  # per-generation parts of pages
        import_string(path)()


# ---------------------------------------------------------------- the middleware

@dataclass
class Entry:
    generation: int
    status: int
    content: bytes
    headers: list[tuple[str, str]]
    expires: float

    def response(self, now: float) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        # The headers in Django's own form (checked once per entry and process, not on every hit).
        response.headers._store = dict(self._checked_headers())
        # Browsers and proxies may keep it no longer than the entry itself lives.
        if "cache-control" in response.headers._store:
            response.headers._store["cache-control"] = (
                "Cache-Control", self._cache_control(max(0, int(self.expires - now))))
        return response

    def _checked_headers(self) -> dict:
        checked = self.__dict__.get("_checked")
        if checked is None:
            checked = self.__dict__["_checked"] = ResponseHeaders(self.headers)._store
        return checked

    def _cache_control(self, max_age: int) -> str:
        """The stored Cache-Control with max-age lowered to `max_age`, as patch_cache_control
        writes it; the same for every hit within a second, so kept for the last one asked."""
        kept = self.__dict__.get("_cache_control_for")
        if kept is None or kept[0] != max_age:
            scratch = HttpResponse()
            scratch.headers["Cache-Control"] = self._checked_headers()["cache-control"][1]
            patch_cache_control(scratch, max_age=max_age)
            kept = self.__dict__["_cache_control_for"] = (max_age, scratch.headers["Cache-Control"])
        return kept[1]


class KeptEntries:
    """This process's copies of the entries it served lately, up to `budget` bytes of content,
    least recently used dropped first. A hit then reads only the generation from the shared
    cache (Redis: a few bytes instead of the whole page; local memory: no unpickling of the
    page), and a copy is served only while it is of the current generation, so a write seen
    by any process makes every process's copies stale at once, as it does the shared entries."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()  # runserver and threaded servers share the process

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        size = len(entry.content)
        if size > self.budget:
            return
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.used -= len(previous.content)
            self.entries[key] = entry
            self.used += size
            while self.used > self.budget:
                _key, dropped = self.entries.popitem(last=False)
                self.used -= len(dropped.content)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0


kept_entries = KeptEntries(settings.PAGE_CACHE_KEPT_BYTES)


def never_page_cache(response):
    """Mark a response that must not be shared from the page cache."""
    response.page_cache_private = True
    return response


def request_may_hit(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not unprefixed_path(request.path).startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PREFIXES))


def unprefixed_path(path: str) -> str:
    """The path without its language prefix: /pl/registration/... is excluded like /registration/..."""
    from .languages import language_of_path

    language = language_of_path(path)
    return path[len(language) + 1:] if language and path.startswith(f"/{language}/") else path


def page_key(request) -> str:
    scheme = "https" if request.is_secure() else "http"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    query = request.META.get("QUERY_STRING", "")
    address = f"{scheme}://{request.get_host()}{request.path}?{query}|{language}"
    # Hashed: any length of query string makes a short key every cache backend accepts.
    return "pagecache:page:" + hashlib.sha256(address.encode()).hexdigest()


def is_public_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(response, "page_cache_private", False) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - ALLOWED_VARY:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    if "public" in control:
        return True
    if request.path.startswith(tuple(settings.PAGE_CACHE_PUBLIC_PREFIXES)):
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return True
    return False


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not request_may_hit(request):
            return self.get_response(request)
        try:
            bump_if_dirty()
            store = generation_store()
            key = page_key(request)
            kept = kept_entries.get(key) if store.keeps_copies else None
            if kept is not None and kept.expires <= time.time():
                kept = None  # another process may have stored a newer one
            generation, entry = store.read_with(key, kept)
            request_generation.remember(generation)  # the page's parts use the same one
        except Exception:  # a cache outage makes every request a miss, never an error
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        now = time.time()
        if isinstance(entry, Entry) and entry.generation == generation and entry.expires > now:
            if store.keeps_copies and entry is not kept:
                kept_entries.put(key, entry)
            return entry.response(now)
        response = self.get_response(request)
        if is_public_response(request, response) and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES:
            self.store(key, generation, response, now, keep_copy=store.keeps_copies)
        return response

    def store(self, key, generation, response, now, keep_copy=False) -> None:
        try:
            # A view may keep its page for less (response.page_cache_seconds), e.g. totals that
            # change with writes too frequent to bump the whole site's generation for.
            lifetime = float(min(settings.PAGE_CACHE_SECONDS,
                                 getattr(response, "page_cache_seconds", settings.PAGE_CACHE_SECONDS)))
            change = next_state_change(generation)
            if change is not None:
                lifetime = min(lifetime, change - now)
            if lifetime < 1:
                return
            if not response.has_header("ETag"):
                set_response_etag(response)
            patch_cache_control(response, max_age=int(lifetime))
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            entry = Entry(generation, response.status_code, response.content, headers, now + lifetime)
            page_cache().set(key, entry, timeout=int(lifetime) + 1)
            if keep_copy:
                kept_entries.put(key, entry)
        except Exception:
            logger.exception("Could not store a page in the page cache")
