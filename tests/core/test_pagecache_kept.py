"""Each process keeps copies of the pages it served (core.pagecache.KeptEntries) when the page
cache is shared (Redis): a hit then reads only the generation. A copy must never outlive a
write, a bump by another process or a cleared cache."""

import socket
import uuid

import pytest
from django.core.cache import caches

from clustertalks.core import pagecache
from clustertalks.core.pagecache import Entry, KeptEntries


def entry(size: int, generation: int = 1) -> Entry:
    return Entry(generation, 200, b"x" * size, [], expires=2e9)


def test_the_copies_stay_within_their_budget_least_recently_used_first():
    kept = KeptEntries(budget=100)
    kept.put("a", entry(40))
    kept.put("b", entry(40))
    assert kept.get("a") is not None  # "a" is now the most recently used
    kept.put("c", entry(40))
    assert kept.get("b") is None and kept.get("a") is not None and kept.get("c") is not None
    assert kept.used == 80
    kept.put("a", entry(10))  # replacing an entry frees what it held
    assert kept.used == 50
    kept.put("huge", entry(101))  # larger than the whole budget: never kept
    assert kept.get("huge") is None and kept.used == 50


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def shared_page_cache(settings):
    """The page cache in Redis (a database of the tests' own, with a key prefix of this test's
    own), as in a deployment with several web processes."""
    if not redis_answers():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    settings.CACHES = {**settings.CACHES, "pages": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/5",
        "KEY_PREFIX": f"test-kept-{uuid.uuid4().hex[:8]}",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    }}
    pagecache.kept_entries.clear()
    assert pagecache.generation_store().keeps_copies
    yield caches["pages"]
    pagecache.kept_entries.clear()


def test_a_hit_is_answered_from_the_process_copy(client, full_talk, count_queries, shared_page_cache):
    url = full_talk(title="Kept here").get_absolute_url()
    first = client.get(url)
    # The shared entry is gone, the generation is not: only this process's copy can answer.
    shared_page_cache.delete(pagecache.page_key(first.wsgi_request))
    assert count_queries(client.get, url) == 0
    assert client.get(url).content == first.content


def test_a_write_makes_the_copy_stale_at_once(client, full_talk, shared_page_cache):
    talk = full_talk(title="Before the edit")
    url = talk.get_absolute_url()
    assert "Before the edit" in client.get(url).content.decode()
    assert "Before the edit" in client.get(url).content.decode()  # served from the copy

    talk.title = "After the edit"
    talk.save()

    assert "After the edit" in client.get(url).content.decode()


def test_a_bump_by_another_process_or_a_cleared_cache_makes_the_copy_stale(
        client, full_talk, count_queries, shared_page_cache):
    url = full_talk().get_absolute_url()
    client.get(url)
    assert count_queries(client.get, url) == 0
    # Another process bumps: what it does is one INCR of the shared generation.
    shared_page_cache.incr(pagecache.GENERATION_KEY)
    assert count_queries(client.get, url) > 0
    assert count_queries(client.get, url) == 0
    # Clearing the cache deletes the generation too; it starts again from the clock.
    shared_page_cache.clear()
    assert count_queries(client.get, url) > 0
