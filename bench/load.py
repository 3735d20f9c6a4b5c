"""Requests/s and latency of every public page type, next to what Django itself can serve here.

    make bench                                  # the whole matrix (about 15 minutes)
    .venv/bin/python bench/load.py --sizes 100 --backends sqlite --duration 3   # a quick look

For each backend (SQLite with the in-memory page cache; PostgreSQL + Redis when they answer on
127.0.0.1) and each archive size, it seeds a fresh database (bench/seed_archive.py), starts
gunicorn (2 workers, as `clustertalks serve`) three times on free ports: the app with the page
cache (warm), the app without it (cold: every request renders), and the limit
(bench/limit_site.py: a bare view behind Django's default middleware, served the same way).
Then, page by page and interleaved, wrk (-t2 -c16) against the limit, the warm app and the cold
app. It prints each page's requests/s, p50/p99 and its ratio to the limit measured just before
it, and the CPU milliseconds one cold render of each page costs in-process.

Only 127.0.0.1 is ever loaded; each wrk run is bounded by --duration. Needs `wrk` (Debian
package; `make bench` installs it with apt-get).
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_URL = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DB = os.environ.get("BENCH_PG_DB", "fast_bench_load")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")

PAGES = {
    "home": "/",
    "talk": "/talks/talk-{last}/",
    "person": "/people/speaker-0/",
    "archive p1": "/talks/",
    "archive p50": "/talks/?page=50",
    "topic": "/topics/topic-3/",
    "organisation": "/organisations/cluster-0/",
    "search": "/search/?q=skills",
    "talk .ics": "/talks/talk-{last}/calendar.ics",
    "feed .ics": "/calendar/talks.ics",
    "api list": "/api/v1/talks",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int, path: str = "/") -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status < 500
    except OSError:  # refused, reset, timed out, or an HTTP error status
        return False


@contextlib.contextmanager
def gunicorn(app: str, env: dict, chdir: Path, workers: int = 2):
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", app, "--chdir", str(chdir), "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--forwarded-allow-ips", "127.0.0.1"],
        env={**env, "SITE_URL": f"http://127.0.0.1:{port}"}, cwd=chdir,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {app} did not start")
            time.sleep(0.3)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wrk(port: int, path: str, duration: int) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) of one wrk run."""
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", "--timeout", "10s",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, timeout=duration + 30, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"    ! {errors.group(1)} error responses on {path}")
    return rps, latency(out, "50%"), latency(out, "99%")


def latency(out: str, label: str) -> float:
    found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    if not found:
        print("    ! could not read wrk's output:\n" + out)
        return float("nan")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def prepare(backend: str, size: int, var: Path) -> dict:
    env = {**os.environ, "CLUSTERTALKS_VAR": str(var), "DEBUG": "0", "PYTHONPATH": str(ROOT / "src"),
           "DJANGO_SETTINGS_MODULE": "clustertalks.settings", "LOG_LEVEL": "WARNING",
           "SECRET_KEY": "bench-" + "k" * 60, "REGISTRATION_RATE_LIMIT": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if backend == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        env["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
        env["REDIS_URL"] = REDIS_URL
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()  # our own database number
    started = time.perf_counter()
    seeded = subprocess.run([PYTHON, str(ROOT / "bench" / "seed_archive.py"), str(size)], env=env,
                            capture_output=True, text=True, timeout=1800, check=False)
    if seeded.returncode:
        raise RuntimeError(seeded.stderr[-2000:])
    print(f"  {seeded.stdout.strip().splitlines()[-1]} ({time.perf_counter() - started:.0f}s with migrations)")
    return env


def cold_cpu(env: dict, paths: dict) -> dict:
    """CPU ms of one cold render of each page, in-process (median of 20, cache off)."""
    code = (
        "import json, statistics, sys, time, django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(); out = {}\n"
        "for name, path in json.loads(sys.argv[1]).items():\n"
        "    c.get(path); times = []\n"
        "    for _ in range(20):\n"
        "        t = time.process_time(); c.get(path); times.append((time.process_time() - t) * 1000)\n"
        "    out[name] = statistics.median(times)\n"
        "print(json.dumps(out))\n"
    )
    import json

    done = subprocess.run(
        [PYTHON, "-c", code, json.dumps(paths)],
        env={**env, "PAGE_CACHE": "0", "ALLOWED_HOSTS": "testserver"},
        capture_output=True, text=True, timeout=600, check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(backend: str, size: int, duration: int) -> list[tuple]:
    print(f"\n== {backend}, {size} talks")
    var = Path(tempfile.mkdtemp(prefix=f"ct-loadbench-{backend}-"))
    try:
        env = prepare(backend, size, var)
        paths = {name: path.format(last=size - 9) for name, path in PAGES.items()}
        cpu = cold_cpu(env, paths)
        rows = []
        with (gunicorn("limit_site:application", env, ROOT / "bench") as limit,
              gunicorn("clustertalks.wsgi:application", env, ROOT) as warm,
              gunicorn("clustertalks.wsgi:application", {**env, "PAGE_CACHE": "0"}, ROOT) as cold):
            print(f"  {'page':<13}{'limit r/s':>10}{'warm r/s':>10}{'ratio':>7}{'p50':>7}{'p99':>7}"
                  f"{'cold r/s':>10}{'ratio':>7}{'p50':>7}{'p99':>8}{'miss CPU':>9}{'load':>6}")
            for name, path in paths.items():
                wrk(warm, path, 1)  # fill the page cache and warm the workers
                top = wrk(limit, "/", duration)
                hot = wrk(warm, path, duration)
                miss = wrk(cold, path, duration)
                row = (backend, size, name, top, hot, miss, cpu[name])
                rows.append(row)
                print(f"  {name:<13}{top[0]:>10.0f}{hot[0]:>10.0f}{hot[0] / top[0]:>7.0%}{hot[1]:>7.1f}"
                      f"{hot[2]:>7.1f}{miss[0]:>10.0f}{miss[0] / top[0]:>7.0%}{miss[1]:>7.1f}"
                      f"{miss[2]:>8.1f}{cpu[name]:>8.1f}ms{os.getloadavg()[0]:>6.1f}", flush=True)
        return rows
    finally:
        shutil.rmtree(var, ignore_errors=True)


def postgres_and_redis_answer() -> bool:
    for port in (5432, 6379):
        with socket.socket() as sock:
            sock.settimeout(2)
            if sock.connect_ex(("127.0.0.1", port)):
                return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    args = parser.parse_args()
    # A TERM (e.g. from `timeout`) unwinds like Ctrl-C, so the gunicorns started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does it)")
    backends = [b for b in args.backends if b != "postgres" or postgres_and_redis_answer()]
    print("wrk -t2 -c16, gunicorn 2 workers; ratio = page r/s / limit r/s measured just before;"
          " p50/p99 in ms; miss CPU = one cold render in-process; load = 1-minute load average"
          " of the machine after the row (2 cores: above 2, other work shares them)")
    for backend in backends:
        for size in args.sizes:
            run(backend, size, args.duration)


if __name__ == "__main__":
    main()
