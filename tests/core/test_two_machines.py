"""Growing past one machine: two web processes and two workers against one PostgreSQL and one
Redis, on this machine. Sessions, rate limits and the page cache are shared (an edit through
one web process is seen at once through the other), each reminder goes out once while both
workers race for it, and a worker killed mid-task leaves its task to be retried, not lost. Needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379; skipped
otherwise. About 40 s on a quiet machine (static files collected once for the module)."""

import asyncio
import datetime as dt
import http.cookiejar
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone

from clustertalks.api.models import ApiToken
from clustertalks.api.services import issue_token
from clustertalks.core.models import OutboundEmail
from clustertalks.registrations.models import Registration
from clustertalks.talks.models import Talk
from tests.core.test_worker import Sink

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]
REDIS_DB = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def collected_var(tmp_path_factory):
    """One var/ with the static files collected, for the whole module: collectstatic is the
    slowest step of a test here (tens of seconds on a loaded machine), so it runs once."""
    var = tmp_path_factory.mktemp("two-machines")
    env = {**os.environ, "CLUSTERTALKS_VAR": str(var), "PYTHONPATH": str(Path.cwd() / "src"),
           "DJANGO_SETTINGS_MODULE": "clustertalks.settings", "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-m", "clustertalks.cli", "collectstatic", "--noinput", "-v0"],
                   env=env, check=True, timeout=300)
    return var


@pytest.fixture
def shared_env(collected_var, tmp_path):
    if connection.vendor != "postgresql" or not port_open(6379):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_DB, socket_timeout=5).flushdb()  # this helper's own database
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_DB,
        "CLUSTERTALKS_VAR": str(collected_var),
        "SECRET_KEY": settings.SECRET_KEY,  # the session made here must be readable there
        "REGISTRATION_RATE_LIMIT": "3",
        "ADMIN_REQUIRE_TWO_FACTOR": "0",  # the organiser's session here has no second factor
        "PYTHONPATH": str(Path.cwd() / "src"),
        "DJANGO_SETTINGS_MODULE": "clustertalks.settings",
        "LOG_LEVEL": "WARNING",
    }
    for old_mail in (collected_var / "mail").glob("*"):  # each test reads only its own emails
        old_mail.unlink()
    return env


@contextmanager
def web_processes(env: dict, count: int = 2):
    """`count` gunicorn processes started together (each importing Django takes seconds on a
    loaded machine: side by side, not one after the other)."""
    started = []
    for _ in range(count):
        port = free_port()
        log = Path(env["CLUSTERTALKS_VAR"]) / f"web-{port}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "clustertalks.wsgi:application", "--bind",
                 f"127.0.0.1:{port}", "--workers", "1", "--graceful-timeout", "5"],
                env={**env, "SITE_URL": f"http://127.0.0.1:{port}"}, stdout=output, stderr=output,
            )
        started.append((port, log, process))
    try:
        deadline = time.monotonic() + 60
        for port, log, process in started:
            while not port_open(port):
                assert process.poll() is None, log.read_text()[-2000:]
                assert time.monotonic() < deadline, "the web process did not start"
                time.sleep(0.1)
        yield [f"http://127.0.0.1:{port}" for port, _, _ in started]
    finally:
        for _, _, process in started:
            process.terminate()
        for _, _, process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def get(url: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def send(url: str, method: str, body: dict, **headers) -> int:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_web_processes_share_sessions_rate_limits_and_the_page_cache(shared_env, make_talk, organiser):
    talk = make_talk("Before the edit", start=timezone.now() + dt.timedelta(days=10))
    token = issue_token(organiser, "two machines", ApiToken.Scope.WRITE)[1]
    session = SessionStore()
    session["_auth_user_id"] = str(organiser.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = organiser.get_session_auth_hash()
    session.create()

    with web_processes(shared_env) as (one, two):
        page = talk.get_absolute_url()
        for site in (one, two, one, two):  # both cached now
            assert "Before the edit" in get(site + page)[1]

        assert send(f"{one}/api/v1/talks/{talk.slug}", "PATCH", {"title": "After the edit"},
                    Authorization=f"Bearer {token}") == 200
        assert "After the edit" in get(two + page)[1]  # at once, through the other process
        assert "After the edit" in get(two + "/talks/")[1]

        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        for site in (one, two):  # a session made anywhere is good everywhere
            status, html = get(site + "/admin/", Cookie=cookie)
            assert status == 200 and "Back office" in html

        assert [register(site, talk.slug) for site in (one, two, one, two)] == [302, 302, 302, 429]


def register(site: str, slug: str) -> int:
    """Post the registration form once (with its CSRF token); the HTTP status of the answer."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    url = f"{site}/talks/{slug}/register/"
    html = opener.open(url, timeout=20).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = {"csrfmiddlewaretoken": token, "name": "Ada Lovelace",
            "email": f"ada{time.monotonic_ns()}@example.org", "organisation": "Analytical Cluster",
            "organisation_type": "cluster", "country": "BE", "position": "Manager",
            "time_zone": "Europe/Brussels", "consent": "on"}
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                     headers={"Referer": url})
    try:
        return opener.open(request, timeout=20).status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_workers_racing_send_each_reminder_once(shared_env, make_talk):
    talk = make_talk(start=timezone.now() + dt.timedelta(minutes=40))
    for n in range(6):
        Registration.objects.create(
            talk=talk, status=Registration.Status.APPROVED, name=f"Attendee {n}",
            email=f"attendee{n}@example.org", organisation="Cluster", position="Manager",
            consented_at=timezone.now(),
        )
    logs = [Path(shared_env["CLUSTERTALKS_VAR"]) / f"worker-{n}.log" for n in range(2)]
    workers = [
        subprocess.Popen([sys.executable, "-m", "clustertalks.cli", "worker", "--batch"],
                         env=shared_env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        for log in logs
    ]
    for worker, log in zip(workers, logs, strict=True):
        assert worker.wait(timeout=120) == 0, log.read_text()[-2000:]

    reminders = OutboundEmail.objects.filter(kind="registration:reminder")
    assert reminders.count() == 6
    assert set(reminders.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    mail_dir = Path(shared_env["CLUSTERTALKS_VAR"]) / "mail"
    sent = "".join(path.read_text(errors="replace") for path in mail_dir.glob("*"))
    assert sorted(re.findall(r"^To: (attendee\d@example.org)$", sent, re.MULTILINE)) == sorted(
        f"attendee{n}@example.org" for n in range(6))
    assert Talk.objects.count() == 1


class SlowSink(Sink):
    """An SMTP server that takes 40 ms a message, so a worker can be killed while sending."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.04)
        return await super().handle_DATA(server, session, envelope)


def test_a_worker_killed_mid_task_leaves_its_task_to_be_retried_not_lost(shared_env, make_talk):
    """Two workers share 40 reminders; one is SIGKILLed while sending. Its leased message and
    the task row it left RUNNING (its heartbeat went silent) are taken up again: every attendee
    gets the reminder, at most one twice (the message being handed to SMTP at the kill)."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = SlowSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**shared_env, "EMAIL_URL": f"smtp://127.0.0.1:{port}", "DELIVERY_LEASE_SECONDS": "2",
           "WORKER_HEARTBEAT_SECONDS": "0.5", "EMAIL_TIMEOUT": "2"}
    talk = make_talk(start=timezone.now() + dt.timedelta(minutes=40))
    expected = {f"attendee{n}@example.org" for n in range(40)}
    Registration.objects.bulk_create(
        Registration(talk=talk, status=Registration.Status.APPROVED, name=f"Attendee {n}",
                     email=f"attendee{n}@example.org", organisation="Cluster", position="Manager",
                     consented_at=timezone.now())
        for n in range(40)
    )
    logs = [Path(env["CLUSTERTALKS_VAR"]) / f"worker-{n}.log" for n in range(2)]
    workers = [subprocess.Popen([sys.executable, "-m", "clustertalks.cli", "worker"], env=env,
                                stdout=log.open("wb"), stderr=subprocess.STDOUT) for log in logs]
    try:
        assert wait_until(lambda: sink.total >= 8, timeout=60), logs[0].read_text()[-2000:]
        workers[0].kill()  # SIGKILL, mid-sending
        workers[0].wait()
        assert sink.total < 40, "sending ended before the kill: the test proves nothing"
        assert wait_until(lambda: set(sink.received) >= expected, timeout=40), (
            f"{len(sink.received)} of 40; " + logs[1].read_text()[-2000:])
        time.sleep(2.5)  # a late duplicate (after a lease) would arrive now
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)
        controller.stop()
    assert set(sink.received) == expected
    assert sum(n - 1 for n in sink.received.values()) <= 1, sink.received.most_common(3)
    assert set(OutboundEmail.objects.filter(kind="registration:reminder").values_list("status", flat=True)) == {
        OutboundEmail.Status.SENT}


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
