"""A real transcriber process, killed (SIGKILL) mid-transcription, then restarted: the job goes
on where it stopped and the transcript has each sentence once."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from clustertalks.captions import engine
from tests.core.test_project import run_cli

from .conftest import ENGINE_MARKS, LONG_ENGLISH, word_error_rate

pytestmark = ENGINE_MARKS

SETUP = r"""
import os
from django.core.files.base import ContentFile
from django.db import transaction
from clustertalks.talks.models import Talk
from clustertalks.materials.models import Recording
from clustertalks.captions import services
import datetime as dt
from django.utils import timezone
start = timezone.now() - dt.timedelta(days=1)
talk = Talk.objects.create(title="Industrial ecosystems", start=start, end=start + dt.timedelta(hours=1))
recording = Recording(talk=talk, source="upload")
recording.video.save("long.wav", ContentFile(open(os.environ["CLIP"], "rb").read()), save=False)
recording.save()
with transaction.atomic():
    services.request_transcription(recording, language="en")
"""


def environment(tmp_path) -> dict:
    env = {**os.environ, "CLUSTERTALKS_VAR": str(tmp_path), "PYTHONWARNINGS": "ignore",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "TRANSCRIBE_ON_UPLOAD": "0",
           "MEDIA_ROOT": str(tmp_path / "media")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def cue_count(database) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("select count(*) from captions_draftcue").fetchone()[0]


def test_a_killed_transcriber_resumes_without_duplicate_lines(tmp_path, clips, model_folder):
    database = tmp_path / "db.sqlite3"
    env = environment(tmp_path)
    # The model folder assembled for the session is reused (joining it again takes time).
    assembled = engine.model_folder(engine.model_name())
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / assembled.name).symlink_to(assembled)
    migrated = run_cli(tmp_path, "migrate", "--no-input", **{k: env[k] for k in ("DATABASE_URL",)})
    assert migrated.returncode == 0, migrated.stderr
    made = subprocess.run([sys.executable, "-m", "clustertalks.cli", "shell", "-c", SETUP],
                          env={**env, "CLIP": str(clips["long.wav"])}, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr

    worker = subprocess.Popen([sys.executable, "-m", "clustertalks.cli", "transcriber"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while cue_count(database) == 0 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert cue_count(database) > 0, "the transcriber stored nothing before the kill"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    killed_at = cue_count(database)
    with sqlite3.connect(database) as connection:
        status, = connection.execute("select status from captions_transcriptionjob").fetchone()
        assert status == "running"
        # The lease of the dead worker runs out (two minutes; here at once).
        connection.execute("update captions_transcriptionjob set lease_until = '2000-01-01 00:00:00'")

    resumed = subprocess.run(
        [sys.executable, "-m", "clustertalks.cli", "shell", "-c",
         "from clustertalks.captions.tasks import resume_stalled_transcriptions as t; print(t.call())"],
        env=env, capture_output=True, text=True, timeout=60)
    assert resumed.stdout.strip().splitlines()[-1] == "1", resumed.stdout + resumed.stderr
    finished = subprocess.run([sys.executable, "-m", "clustertalks.cli", "transcriber", "--batch"],
                              env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr

    with sqlite3.connect(database) as connection:
        status, attempts = connection.execute("select status, attempts from captions_transcriptionjob").fetchone()
        rows = connection.execute("select position, start_ms, end_ms, text from captions_draftcue "
                                  "order by position").fetchall()
    assert status == "done" and attempts == 2
    assert len(rows) > killed_at
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    starts = [row[1] for row in rows]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(rows[i][1] >= rows[i - 1][2] - 500 for i in range(1, len(rows)))  # no overlap
    text = " ".join(row[3] for row in rows)
    assert word_error_rate(LONG_ENGLISH, text) <= 0.2, text
