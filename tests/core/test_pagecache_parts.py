"""Parts shared by many pages (core.pagecache.per_generation) are kept by each process until the
next public write, and a request reads the content generation once, however many parts its
page builds."""

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started

from clustertalks.core import pagecache


@pytest.fixture
def builds():
    calls = []

    def build():
        calls.append(1)
        return ["built", len(calls)]

    return calls, build


@pytest.fixture
def generation_reads(monkeypatch):
    reads = []
    original = pagecache.FileGeneration.current

    def counted(self):
        reads.append(1)
        return original(self)

    monkeypatch.setattr(pagecache.FileGeneration, "current", counted)
    return reads


@pytest.fixture
def in_a_request(db):
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def test_a_part_is_built_once_per_generation_and_then_served_from_this_process(builds, monkeypatch):
    calls, build = builds
    first = pagecache.per_generation("test-part", build)
    # The copy answers: the shared cache is not read (nothing to unpickle).
    monkeypatch.setattr(type(caches["pages"]), "get", lambda *a, **k: pytest.fail("read the shared cache"))
    assert pagecache.per_generation("test-part", build) is first
    assert len(calls) == 1


def test_a_write_makes_the_part_be_built_again(builds, db):
    calls, build = builds
    pagecache.per_generation("test-part", build)
    pagecache.bump_public_generation()
    assert pagecache.per_generation("test-part", build) == ["built", 2]


def test_a_cleared_cache_makes_the_part_be_built_again(builds):
    """The embedded set-up's generation lives in a file, which clearing the cache leaves alone."""
    calls, build = builds
    pagecache.per_generation("test-part", build)
    caches["pages"].clear()
    assert pagecache.per_generation("test-part", build) == ["built", 2]


def test_an_expired_part_is_built_again(builds, monkeypatch):
    calls, build = builds
    pagecache.per_generation("test-part", build, timeout=60)
    now = pagecache.time.monotonic()
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now + 61)
    caches["pages"].clear()  # the shared entry has expired by then too
    assert pagecache.per_generation("test-part", build, timeout=60) == ["built", 2]


def test_a_request_reads_the_generation_once(generation_reads, in_a_request):
    first = pagecache.current_generation()
    assert pagecache.current_generation() == pagecache.current_generation() == first
    assert len(generation_reads) == 1


def test_a_bump_during_the_request_is_seen_by_the_rest_of_it(generation_reads, in_a_request):
    before = pagecache.current_generation()
    pagecache.bump_now()
    assert pagecache.current_generation() != before


def test_outside_a_request_every_read_asks_the_store(generation_reads, db):
    """A worker's task or a command runs for long: it must see other processes' bumps."""
    request_started.send(sender=None)
    request_finished.send(sender=None)
    pagecache.current_generation()
    pagecache.current_generation()
    assert len(generation_reads) == 2


def test_a_talk_page_miss_reads_the_generation_once(client, full_talk, generation_reads):
    url = full_talk().get_absolute_url()
    generation_reads.clear()
    assert client.get(url).status_code == 200
    assert len(generation_reads) == 1
