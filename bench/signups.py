"""Sign-ups per second through the real registration form (GET the form, then POST with its CSRF
token), under gunicorn (`clustertalks serve`, 2 workers) against PostgreSQL, with the capacity
rule checked: never more approved than places, everybody else on the waiting list, one email
task per sign-up.

    .venv/bin/python bench/signups.py [--duration 10] [--capacity 1000] [--connections 16]
    BENCH_PG_DB=fast_signups BENCH_REDIS_URL=redis://127.0.0.1:6379/6 ... --redis

The load comes from wrk (bench/signups.lua: each request a new address), not from Python
threads, so the client costs the 2 cores little. The PostgreSQL database (default fast_signups)
is DROPPED and created afresh. The per-client rate limit is off for the run (every request comes
from 127.0.0.1); the per-address limit stays on. With --redis the cache and rate limits use Redis
(database 6 by default), as a deployment with several web processes does.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from load import free_port, gunicorn, wrk  # noqa: E402  (bench/load.py: same server set-up)

PG_URL = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DB = os.environ.get("BENCH_PG_DB", "fast_signups")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


def fresh_database() -> str:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return f"{PG_URL}/{PG_DB}"


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_by_group() -> dict[int, tuple[str, int]]:
    """pid -> (group, CPU ticks used so far) for every process: the web workers (gunicorn),
    PostgreSQL and everything else (wrk is counted apart, once it has ended)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        name = stat[stat.index("(") + 1: stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        group = ("web" if b"gunicorn" in command else "postgres" if name == "postgres"
                 else "other")
        found[int(entry.name)] = (group, ticks)
    return found


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """Milliseconds of CPU per group between two readings (a process started meanwhile counts
    from zero)."""
    used: dict[str, float] = {}
    for pid, (group, ticks) in after.items():
        start = before.get(pid, (group, 0))[1]
        used[group] = used.get(group, 0) + (ticks - start) * TICK_MS
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--capacity", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", action="store_true", help="cache and rate limits in Redis")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="ct-signups-"))
    env = {**os.environ, "CLUSTERTALKS_VAR": str(var), "DEBUG": "0", "PYTHONPATH": str(ROOT / "src"),
           "DJANGO_SETTINGS_MODULE": "clustertalks.settings", "LOG_LEVEL": "WARNING",
           "SECRET_KEY": "bench-" + "k" * 60, "REGISTRATION_RATE_LIMIT": "0",
           "DATABASE_URL": fresh_database(), "REDIS_URL": REDIS_URL if args.redis else ""}
    if args.redis:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()  # our own database number
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from tests.registrations.concurrent_signups import make_talk_with_capacity

    talk = make_talk_with_capacity(args.capacity)
    path = f"/talks/{talk.slug}/register/"
    # How fast this machine is right now (its speed varies from hour to hour): the bare Django
    # view of bench/load.py, served the same way, just before the sign-ups.
    with gunicorn("limit_site:application", env, ROOT / "bench", workers=args.workers) as limit:
        wrk(limit, "/", 1)
        limit_rps = wrk(limit, "/", 5)[0]
    with gunicorn("clustertalks.wsgi:application", env, ROOT, workers=args.workers) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "")).group(1)
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read()).group(1).decode()
        load_before = os.getloadavg()[0]
        cpu_before = cpu_by_group()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
             "-s", str(ROOT / "bench" / "signups.lua"), f"http://127.0.0.1:{port}{path}"],
            env={**env, "SIGNUP_TOKEN": token, "SIGNUP_COOKIE": cookie, "SIGNUP_PATH": path},
            capture_output=True, text=True, timeout=args.duration + 60, check=True,
        ).stdout
        elapsed = time.perf_counter() - started
        cpu = cpu_used(cpu_before, cpu_by_group())
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, which has ended
        cpu["wrk"] = 1000 * (children.ru_utime + children.ru_stime
                             - children_before.ru_utime - children_before.ru_stime)
    from django_tasks_db.models import DBTaskResult

    from clustertalks.registrations.models import Registration

    counts = {s: Registration.objects.filter(talk=talk, status=s).count() for s in ("approved", "waitlisted")}
    total = Registration.objects.filter(talk=talk).count()
    emails = DBTaskResult.objects.filter(task_path__endswith="send_registration_email").count()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    print(f"{total} sign-ups in {elapsed:.1f} s: {total / elapsed:.0f}/s accepted "
          f"(wrk -t2 -c{args.connections}, gunicorn {args.workers} workers, PostgreSQL{' + Redis' if args.redis else ''}); "
          f"p50 {p50.group(1) if p50 else '?'}, p99 {p99.group(1) if p99 else '?'}; "
          f"non-2xx/3xx answers: {errors.group(1) if errors else 0}; load average {load_before:.1f}; "
          f"the bare Django view: {limit_rps:,.0f}/s just before")
    per_signup = {group: ms / max(total, 1) for group, ms in cpu.items()}
    print("CPU per sign-up: " + ", ".join(
        f"{group} {per_signup.get(group, 0):.2f} ms" for group in ("web", "postgres", "wrk", "other"))
        + f"; {sum(cpu.values()) / 1000 / elapsed:.2f} of {os.cpu_count()} cores busy")
    print(f"approved {counts['approved']} (capacity {args.capacity}), waitlisted {counts['waitlisted']}, "
          f"email tasks {emails}")
    intact = (counts["approved"] == min(args.capacity, total)
              and counts["approved"] + counts["waitlisted"] == total and emails == total)
    print("capacity intact" if intact else "CAPACITY RULE BROKEN")
    sys.exit(0 if intact else 1)


if __name__ == "__main__":
    main()
