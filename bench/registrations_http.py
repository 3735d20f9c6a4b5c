"""Registrations per second through the real form, over HTTP, against `clustertalks serve`
(gunicorn, 2 workers) on PostgreSQL, with the capacity rule checked afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_reg_bench \
        .venv/bin/python bench/registrations_http.py [--people 2000] [--capacity 500] [--clients 8]

The database named in DATABASE_URL (default ct_reg_bench) is DROPPED and created afresh, then
migrated. The rate limit is switched off for the run (every client is 127.0.0.1). Only
loopback traffic; the run is bounded by --people and stops by itself.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database afresh (the benchmark owns it: name a database of its own)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')


def django_setup(env):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest for whitenoise


def make_talk(capacity: int):
    sys.path.insert(0, str(ROOT))
    from tests.registrations.concurrent_signups import make_talk_with_capacity

    return make_talk_with_capacity(capacity)


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def client(port, path, numbers, results):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = response_of(conn)
    if response.status != 200:
        raise SystemExit(f"the form page answered {response.status}")
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read()).group(1)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Cookie": f"csrftoken={cookie}", "Referer": f"http://127.0.0.1:{port}{path}"}
    for n in numbers:
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token.decode(), "name": f"Person {n}",
            "email": f"person{n}@example.org", "organisation": "Bench Cluster",
            "organisation_type": "cluster", "country": "BE", "position": "Manager",
            "consent": "on"})
        conn.request("POST", path, body=body, headers=headers)
        response = response_of(conn)
        response.read()
        results.append(response.status)
    conn.close()


def response_of(conn):
    return conn.getresponse()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_reg_bench")
    ensure_database(database)
    var = tempfile.mkdtemp(prefix="ct-bench-")
    port = free_port()
    env = {"DATABASE_URL": database, "CLUSTERTALKS_VAR": var, "REGISTRATION_RATE_LIMIT": "0",
           "SITE_URL": f"http://127.0.0.1:{port}", "LOG_LEVEL": "WARNING"}
    django_setup(env)
    talk = make_talk(args.capacity)
    path = f"/talks/{talk.slug}/register/"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/clustertalks"), "serve", "--port", str(port),
         "--workers", str(args.workers)],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        results: list[int] = []
        shares = [range(i, args.people, args.clients) for i in range(args.clients)]
        threads = [threading.Thread(target=client, args=(port, path, share, results))
                   for share in shares]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    from clustertalks.registrations.models import Registration

    approved = Registration.objects.filter(talk=talk, status="approved").count()
    waitlisted = Registration.objects.filter(talk=talk, status="waitlisted").count()
    ok = sum(1 for status in results if status == 302)
    print(f"{ok}/{args.people} registrations in {elapsed:.2f} s: {ok / elapsed:.0f}/s "
          f"({args.clients} clients, {args.workers} gunicorn workers)")
    print(f"approved {approved} (capacity {args.capacity}), waitlisted {waitlisted}")
    if approved != min(args.capacity, ok) or approved + waitlisted != ok:
        raise SystemExit("capacity rule broken")


if __name__ == "__main__":
    main()
