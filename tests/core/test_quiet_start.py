"""`make run` ends with the site's address and the organiser's sign-in, and the worker does not
bury it under two log lines per task (issue 11)."""

import io
import logging
from pathlib import Path

import pytest
from django.core.management import call_command

from clustertalks.core.management.commands import up

ROOT = Path(__file__).resolve().parents[2]


def test_the_worker_logs_no_line_per_successful_task_but_still_its_failures():
    level = logging.getLogger("django_tasks").getEffectiveLevel()
    assert level > logging.INFO  # "Task id=... state=RUNNING/SUCCESSFUL" are INFO lines
    assert level <= logging.ERROR  # a failed task is logged with logger.exception


def test_the_sign_in_hint_names_the_site_the_back_office_the_password_and_the_mail_folder(
        settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.SITE_URL = "http://127.0.0.1:8000"
    (tmp_path / "organiser-password.txt").write_text("s3cret-Pass\n")
    hint = up.sign_in_hint()
    assert "http://127.0.0.1:8000/admin/" in hint
    assert "user 'organiser', password 's3cret-Pass'" in hint
    assert f"{tmp_path / 'mail'}/" in hint
    (tmp_path / "organiser-password.txt").unlink()
    assert "password" not in up.sign_in_hint()  # nothing to show: no stale guess


class FakeChild:
    """A process that runs for a few polls, then exits cleanly."""

    def __init__(self, *_args, **_kwargs):
        self.polls, self.returncode = 0, None

    def poll(self):
        self.polls += 1
        if self.polls > 4:
            self.returncode = 0
        return self.returncode

    def terminate(self):
        self.returncode = -15

    def wait(self, timeout=None):
        return self.returncode


@pytest.mark.parametrize("flag, shown", [(True, True), (False, False)])
def test_up_prints_the_hint_last_only_when_asked(monkeypatch, settings, tmp_path, flag, shown):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(up.subprocess, "Popen", FakeChild)
    monkeypatch.setattr(up, "processes", lambda: {"web": ["serve"], "worker": ["worker"]})
    monkeypatch.setattr(up, "SIGN_IN_HINT_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(up.time, "sleep", lambda _seconds: None)
    out = io.StringIO()
    call_command("up", *(["--sign-in-hint"] if flag else []), stdout=out)
    assert ("Back office:" in out.getvalue()) is shown


def test_make_run_asks_for_the_hint_and_the_readme_says_where_emails_go():
    assert "clustertalks up --sign-in-hint" in (ROOT / "Makefile").read_text()
    assert "var/mail/" in (ROOT / "README.md").read_text()
