"""The registration rate limit: counted per real client (also behind the reverse proxy), shared
by every process (Redis, or the database when there is no Redis), exact under concurrency, and
never used up by typing errors nor by somebody else on the same network."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from clustertalks.core import ratelimit
from clustertalks.registrations.models import Registration

from .helpers import form, in_days

HERE = Path(__file__).resolve().parent
REDIS = "redis://127.0.0.1:6379/4"  # this branch's Redis database: never flushed


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def run_workers(env: dict, key: str, processes: int, attempts: int, limit: int) -> list[int]:
    """Start `processes` Python processes at once; each tries `attempts` times."""
    env = {**os.environ, "PYTHONPATH": str(Path.cwd() / "src"), **env}
    env.pop("REGISTRATION_RATE_LIMIT", None)
    started = [subprocess.Popen([sys.executable, str(HERE / "rate_limit_worker.py"), key,
                                 str(attempts), str(limit)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    allowed = []
    for process in started:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        allowed.append(int(out.strip().splitlines()[-1]))
    return allowed


def sqlite_env(tmp_path) -> dict:
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = {"DATABASE_URL": database, "CLUSTERTALKS_VAR": str(tmp_path), "REDIS_URL": ""}
    subprocess.run([sys.executable, "-m", "django", "migrate", "core", "--verbosity", "0"],
                   env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "clustertalks.settings",
                        "PYTHONPATH": str(Path.cwd() / "src")},
                   check=True, capture_output=True, timeout=120)
    return env


def test_without_redis_four_processes_share_one_exact_count_in_the_database(tmp_path):
    """24 attempts from 4 processes at once, limit 10: exactly 10 allowed (SQLite file)."""
    env = sqlite_env(tmp_path)
    allowed = run_workers(env, "203.0.113.7", processes=4, attempts=6, limit=10)
    assert sum(allowed) == 10, allowed


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="set DATABASE_URL to a PostgreSQL database")
def test_on_postgresql_too(tmp_path, transactional_db):
    from django.conf import settings

    db = settings.DATABASES["default"]  # the test database, migrated by pytest-django
    env = {"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "CLUSTERTALKS_VAR": str(tmp_path), "REDIS_URL": ""}
    key = f"pg-{uuid.uuid4()}"
    assert sum(run_workers(env, key, processes=4, attempts=6, limit=10)) == 10


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="set DATABASE_URL to a PostgreSQL database")
def test_on_postgresql_the_unflushed_commit_stays_with_the_count(transactional_db):
    """The count's own statement commits without waiting for the disk; the connection's
    later transactions (a sign-up) still wait for theirs."""
    from django.db import connection

    assert [ratelimit.hit("test", "flush@example.org", 2, 600) for _ in range(3)] == [True, True, False]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_processes_share_one_exact_count(tmp_path):
    key = f"redis-{uuid.uuid4()}"
    env = {"REDIS_URL": REDIS, "CLUSTERTALKS_VAR": str(tmp_path)}
    assert sum(run_workers(env, key, processes=4, attempts=6, limit=10)) == 10


def test_a_limit_of_zero_switches_the_check_off(db):
    assert all(ratelimit.hit("test", "k", 0, 600) for _ in range(50))


def test_keys_count_apart_and_are_not_stored_in_clear(db):
    from clustertalks.core.models import RateLimitCount

    assert [ratelimit.hit("test", "ada@example.org", 2, 600) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("test", "bob@example.org", 2, 600)
    assert ratelimit.hit("other-scope", "ada@example.org", 2, 600)
    keys = " ".join(RateLimitCount.objects.values_list("key", flat=True))
    assert RateLimitCount.objects.count() == 3 and "example.org" not in keys


def test_a_new_window_starts_afresh_and_old_counts_are_swept(db, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from clustertalks.core.models import RateLimitCount

    start = timezone.now()
    assert [ratelimit.hit("test", "k", 1, 60) for _ in range(2)] == [True, False]
    monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(seconds=61))
    assert ratelimit.hit("test", "k", 1, 60)
    assert ratelimit.prune(now=start + dt.timedelta(seconds=200)) == 2
    assert not RateLimitCount.objects.exists()


# ---------------------------------------------------------------- through the form

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def talk(make_talk):
    return make_talk("Open talk", start=in_days(7))


def post(client, talk, data, **headers):
    return client.post(reverse("registrations:register", args=[talk.slug]), data, **headers)


@transactional
def test_typing_errors_do_not_use_up_the_limit(client, talk, settings, smtp):
    settings.REGISTRATION_RATE_LIMIT = 2
    for _ in range(5):
        assert post(client, talk, form(email="not-an-email")).status_code == 400
    assert post(client, talk, form(email="a@example.org")).status_code == 302
    assert post(client, talk, form(email="b@example.org")).status_code == 302
    blocked = post(client, talk, form(email="c@example.org"))
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert Registration.objects.count() == 2


@transactional
def test_one_address_cannot_be_mailed_over_and_over(client, talk, settings, smtp):
    settings.REGISTRATION_RATE_LIMIT = 100
    settings.REGISTRATION_RATE_LIMIT_PER_EMAIL = 3
    codes = [post(client, talk, form(email="victim@example.org"),
                  REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(6)]
    assert codes == [302, 302, 302, 429, 429, 429]
    assert len(smtp.to("victim@example.org")) == 3


@transactional
def test_behind_the_proxy_each_visitor_has_their_own_bucket(client, talk, settings, smtp):
    settings.REGISTRATION_RATE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def from_visitor(visitor, n):
        return post(client, talk, form(email=f"{visitor}-{n}@example.org"), **proxy,
                    HTTP_X_FORWARDED_FOR=f"{visitor}").status_code

    assert [from_visitor("203.0.113.1", n) for n in range(3)] == [302, 302, 429]
    assert [from_visitor("203.0.113.2", n) for n in range(2)] == [302, 302]  # not blocked


@transactional
def test_a_forged_forwarded_for_does_not_buy_a_new_bucket(client, talk, settings, smtp):
    settings.REGISTRATION_RATE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    codes = []
    for n in range(4):  # the client invents an address; nginx appends the real one
        codes.append(post(client, talk, form(email=f"x{n}@example.org"), REMOTE_ADDR="10.0.0.2",
                          HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9").status_code)
    assert codes == [302, 302, 429, 429]
    # And without a trusted proxy in front, the header is not believed at all.
    settings.TRUSTED_PROXIES = []
    codes = [post(client, talk, form(email=f"y{n}@example.org"), REMOTE_ADDR="198.51.100.1",
                  HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(3)]
    assert codes == [302, 302, 429]
