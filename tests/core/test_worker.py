"""The real `clustertalks worker` processes against a real SMTP server: killed three times while
sending 600 reminders it loses none and duplicates at most three; with SMTP blackholed it moves
on within the timeout, keeps running the other tasks, and the first SIGTERM stops it.

Each test runs the worker in processes of their own, on a database of their own (a SQLite file,
or a fresh PostgreSQL database when the suite runs on PostgreSQL)."""

import collections
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from tests.registrations.conftest import free_port

pytestmark = pytest.mark.worker
SCENARIO = Path(__file__).with_name("worker_scenario.py")
ROOT = Path(__file__).resolve().parents[2]


class Sink:
    """An SMTP server that counts what each address received."""

    def __init__(self):
        self.received = collections.Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for address in envelope.rcpt_tos:
                self.received[address] += 1
        return "250 OK"

    @property
    def total(self) -> int:
        return sum(self.received.values())


@pytest.fixture
def sink():
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    inbox = Sink()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def worker_env(tmp_path):
    """Environment for the scenario script and the workers: a database of their own."""
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith("postgres"):
        parts = urlsplit(current)
        database = parts._replace(path=f"/ct_worker_test_{uuid.uuid4().hex[:8]}").geturl()
    else:
        database = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database, "CLUSTERTALKS_VAR": str(tmp_path),
           "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", "PYTHONWARNINGS": "ignore",
           "EMAIL_TIMEOUT": "2", "DELIVERY_LEASE_SECONDS": "3", "WORKER_HEARTBEAT_SECONDS": "0.5"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    yield env
    scenario(env, "drop")


def scenario(env, *args) -> dict:
    done = subprocess.run([sys.executable, str(SCENARIO), *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def start_worker(env, log_path: Path, *args) -> subprocess.Popen:
    log = log_path.open("ab")
    return subprocess.Popen([sys.executable, "-m", "clustertalks.cli", "worker", *args],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def wait_for(condition, timeout: float, every: float = 0.005) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def stop(worker: subprocess.Popen, timeout: float) -> float:
    """SIGTERM; returns how long the worker took to exit."""
    started = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
        pytest.fail(f"the worker did not stop within {timeout} s of SIGTERM")
    return time.monotonic() - started


def test_a_worker_killed_three_times_during_600_reminders_loses_none_and_duplicates_at_most_3(
        sink, worker_env, tmp_path):
    worker_env["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
    scenario(worker_env, "setup", "600")
    log_path = tmp_path / "worker.log"
    started = time.monotonic()
    for kill_at in (120, 270, 420):
        worker = start_worker(worker_env, log_path)
        # Generous waits: on a quiet machine each phase takes a few seconds.
        reached = wait_for(lambda: sink.total >= kill_at or worker.poll() is not None, timeout=150)
        assert worker.poll() is None, log_path.read_text()[-3000:]
        assert reached, f"only {sink.total} sent; log: {log_path.read_text()[-3000:]}"
        worker.kill()  # SIGKILL, mid-sending
        worker.wait()
        assert sink.total < 600, "sending ended before the kill: the test proves nothing"
    worker = start_worker(worker_env, log_path)
    assert wait_for(lambda: len(sink.received) >= 600, timeout=150, every=0.1), (
        f"{len(sink.received)} of 600 delivered; log: {log_path.read_text()[-3000:]}")
    time.sleep(4)  # any late duplicate (after a lease) would arrive now
    assert stop(worker, timeout=10) < 10
    duplicates = sum(n - 1 for n in sink.received.values())
    assert len(sink.received) == 600 and set(sink.received) == {f"r{n}@example.org" for n in range(600)}
    assert duplicates <= 3, sink.received.most_common(5)
    # The task rows the killed workers left RUNNING are recovered (heartbeats went silent).
    finished = start_worker(worker_env, log_path, "--batch", "--no-schedule")
    assert finished.wait(timeout=60) == 0
    final = scenario(worker_env, "state")
    assert final["emails"] == {"sent": 600}
    assert "RUNNING" not in {status for _, status in final["tasks"]}, final["tasks"]
    print(f"600 reminders, 3 SIGKILLs: 0 lost, {duplicates} duplicates, "
          f"{time.monotonic() - started:.1f} s")


def test_with_smtp_blackholed_the_worker_moves_on_and_the_first_sigterm_stops_it(worker_env, tmp_path):
    with socket.socket() as blackhole:  # accepts connections, never answers
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(50)
        worker_env["EMAIL_URL"] = f"smtp://127.0.0.1:{blackhole.getsockname()[1]}"
        scenario(worker_env, "setup", "5")
        log_path = tmp_path / "worker.log"
        worker = start_worker(worker_env, log_path)

        def tried():
            # Attempts that ended (an error recorded); one more may be under way, not yet ended.
            state = scenario(worker_env, "state")
            ended = [error for attempts, _, error in state["emails_tried"] if attempts and error]
            return state if state["emails"] and len(ended) >= 2 else None

        assert wait_for(tried, timeout=30, every=0.5), log_path.read_text()[-3000:]
        state = tried()
        errors = [error for attempts, _, error in state["emails_tried"] if attempts and error]
        assert len(errors) >= 2 and all("timed out" in error for error in errors), errors
        # The other tasks kept running: the first run of each sweep finished. (A later run may
        # be under way: a minute boundary passed during the test enqueues the sweeps again.)
        first_status = {}
        for name, status in state["tasks"]:
            first_status.setdefault(name, status)
        assert first_status.get("recover_stuck_tasks") == "SUCCESSFUL", state["tasks"]
        assert first_status.get("send_due_reminders") == "SUCCESSFUL", state["tasks"]
        assert "FAILED" not in {status for _, status in state["tasks"]}, state["tasks"]
        # The first SIGTERM stops it: the SMTP timeout (2 s) plus the exit (a margin for a
        # loaded machine; a hung worker never stops at all).
        took = stop(worker, timeout=30)
        print(f"SIGTERM to exit: {took:.1f} s")
        assert took < 20
        assert worker.returncode in (0, 1), log_path.read_text()[-3000:]
    assert "Traceback" not in log_path.read_text()
