"""The capacity rule under concurrent sign-ups: 50 at once for 20 places → 20 approved, 30
waiting, on PostgreSQL (threads in this process) and on SQLite (a file database in a process of
its own, since the in-memory test database is not shared across threads). And a double click
for everybody: 25 addresses, each from two threads at once → 25 registrations, 25 first emails
and 25 "you are registered already" emails, no error."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .concurrent_signups import make_talk_with_capacity, run_signups

SCRIPT = Path(__file__).with_name("concurrent_signups.py")


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_with_50_concurrent_signups_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (set DATABASE_URL)")
    result = run_signups(make_talk_with_capacity(20), 50)
    assert result == {"approved": 20, "waitlisted": 30, "pending": 0, "errors": [],
                      "email_tasks": {"approved": 20, "waitlisted": 30}}


DOUBLE_CLICKS = {"approved": 20, "waitlisted": 5, "pending": 0, "errors": [],
                 "email_tasks": {"approved": 20, "waitlisted": 5, "status": 25}}


@pytest.mark.django_db(transaction=True)
def test_double_clicks_at_once_make_one_registration_each_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (set DATABASE_URL)")
    assert run_signups(make_talk_with_capacity(20), 50, twice=True) == DOUBLE_CLICKS


def run_script(tmp_path, *args) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "CLUSTERTALKS_VAR": str(tmp_path), "PYTHONPATH": str(Path.cwd())}
    done = subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_capacity_holds_with_50_concurrent_signups_on_sqlite(tmp_path):
    assert run_script(tmp_path, "50") == {"approved": 20, "waitlisted": 30, "pending": 0,
                                          "errors": [],
                                          "email_tasks": {"approved": 20, "waitlisted": 30}}


def test_double_clicks_at_once_make_one_registration_each_on_sqlite(tmp_path):
    assert run_script(tmp_path, "50", "--twice") == DOUBLE_CLICKS
