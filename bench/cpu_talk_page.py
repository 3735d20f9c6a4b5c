"""CPU milliseconds of a talk page cache miss, counted in instructions with valgrind's callgrind
(repeatable on a loaded machine, unlike wall or CPU time) and converted to milliseconds with a
calibration: the same count for a bare Django view (bench/limit_site.py), whose CPU time per
request is measured directly over many requests.

    .venv/bin/python bench/cpu_talk_page.py [--requests 20] [--var /tmp/ct-cpu]

1. Prepares (once) a SQLite database with the demo series (`clustertalks migrate` + `demo`) in
   --var, and picks the newest public talk with published materials (summary, takeaways,
   recordings) and speakers.
2. For the talk page (page cache off: every request renders) and for the bare view, runs a child
   Python under callgrind twice: warm-up requests only, and warm-up plus --requests requests.
   The difference of the two instruction totals divided by --requests is the instructions of one
   request (start-up and warm-up cancel out).
3. Runs the bare view without valgrind (2,000 requests, process CPU time) for the calibration:
   ns per instruction = bare CPU time per request / bare instructions per request.
4. Prints instructions per request, the calibrated milliseconds and, for comparison, the talk
   page's directly measured CPU time (median of 200, noisy on a loaded machine).

Requests go straight into the WSGI handler (no server, no socket), as gunicorn would call it.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WARMUP = 5


def app_env(var: Path) -> dict:
    return {**os.environ, "CLUSTERTALKS_VAR": str(var), "DEBUG": "0", "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "clustertalks.settings", "LOG_LEVEL": "WARNING",
            "SECRET_KEY": "bench-" + "k" * 60, "ALLOWED_HOSTS": "localhost", "PAGE_CACHE": "0",
            "DATABASE_URL": "", "REDIS_URL": "",
            "PYTHONHASHSEED": "0"}  # the same dict and set layouts in every run: repeatable counts


def prepare(var: Path) -> str:
    env = app_env(var)
    if not (var / "clustertalks.sqlite3").exists():
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo"]):
            subprocess.run([PYTHON, "-m", "django", *command], env=env, check=True, capture_output=True, cwd=ROOT)
    code = (
        "import django; django.setup()\n"
        "from clustertalks.talks.models import Talk\n"
        "talk = (Talk.objects.published().filter(summary__materials_published_at__isnull=False,"
        " recordings__isnull=False, participations__isnull=False).distinct().order_by('-start').first())\n"
        "print(talk.get_absolute_url())\n"
    )
    done = subprocess.run([PYTHON, "-c", code], env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip().splitlines()[-1]


# The child: set up the app (or the bare site), warm up, then serve `count` requests to `path`.
CHILD = r"""
import sys, time
kind, path, count, timed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "timed"
if kind == "bare":
    sys.path.insert(0, sys.argv[5])
    from limit_site import application
else:
    import django; django.setup()
    from django.core.wsgi import get_wsgi_application
    application = get_wsgi_application()
from django.test.client import RequestFactory
environ = RequestFactory().get(path).environ
environ["HTTP_HOST"] = "localhost"
def request():
    status = []
    body = application(dict(environ), lambda s, h, *a: status.append(s))
    data = b"".join(body)
    body.close()
    assert status[0].startswith("200"), status
    return len(data)
for _ in range(%d):
    request()
times = []
for _ in range(count):
    started = time.process_time()
    request()
    times.append(time.process_time() - started)
if timed:
    import statistics
    print("CPU", statistics.median(times) * 1000, min(times) * 1000)
""" % WARMUP


def child(kind: str, path: str, count: int, env: dict, valgrind_out: Path | None = None) -> str:
    command = [PYTHON, "-c", CHILD, kind, path, str(count), "untimed" if valgrind_out else "timed", str(ROOT / "bench")]
    if valgrind_out:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={valgrind_out}", *command]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=3600)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout


def instructions(out: Path) -> int:
    text = out.read_text()
    found = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.MULTILINE)
    return int(found.group(1))


def per_request(kind: str, path: str, count: int, env: dict, work: Path) -> float:
    totals = []
    for n in (0, count):
        out = work / f"{kind}-{n}.callgrind"
        child(kind, path, n, env, out)
        totals.append(instructions(out))
    return (totals[1] - totals[0]) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--var", type=Path, default=Path(tempfile.gettempdir()) / "ct-cpu-bench")
    parser.add_argument("--path", help="another page than the talk page, e.g. /talks/")
    args = parser.parse_args()
    args.var.mkdir(parents=True, exist_ok=True)
    path = args.path or prepare(args.var)
    env = app_env(args.var)
    print(f"page {path}; load average {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        page_ir = per_request("app", path, args.requests, env, work)
        bare_ir = per_request("bare", "/", args.requests, env, work)
    bare_ms = float(child("bare", "/", 2000, env).split()[1])
    page_ms_direct = float(child("app", path, 200, env).split()[1])
    ns_per_ir = bare_ms * 1e6 / bare_ir
    result = {
        "page": path, "page_instructions": round(page_ir), "bare_instructions": round(bare_ir),
        "bare_cpu_ms": round(bare_ms, 4), "ns_per_instruction": round(ns_per_ir, 4),
        "page_cpu_ms_calibrated": round(page_ir * ns_per_ir / 1e6, 2),
        "page_cpu_ms_direct_median": round(page_ms_direct, 2), "ratio_to_bare": round(page_ir / bare_ir, 1),
        "load_average": round(os.getloadavg()[0], 2), "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(json.dumps(result, indent=2))
    print(f"talk page miss: {result['page_cpu_ms_calibrated']} ms CPU "
          f"({page_ir / 1e6:.1f} M instructions, {result['ratio_to_bare']}x a bare Django view)")


if __name__ == "__main__":
    main()
