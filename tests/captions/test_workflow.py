"""From an uploaded recording to published captions: the draft is seen by nobody until an
organiser publishes it; bad files end with a message and publish nothing; a killed worker's
job resumes without duplicate lines."""

import datetime as dt

import numpy as np
import pytest
import webvtt
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clustertalks.captions import engine, services, tasks
from clustertalks.captions.models import DraftCue, TranscriptionJob
from clustertalks.materials.models import Recording, TalkSummary, Transcript
from tests.materials.conftest import media_root  # noqa: F401 - fixture

from .conftest import needs_engine

pytestmark = pytest.mark.django_db
Status = TranscriptionJob.Status


def publish_materials(talk):
    TalkSummary.objects.update_or_create(talk=talk, defaults={"materials_published_at": timezone.now()})


def review_url(job):
    return reverse("admin:captions_transcriptionjob_change", args=[job.pk])


@pytest.fixture
def fake_engine(monkeypatch):
    """The engine's interface with scripted segments, for the workflow without the model's time.
    `script.segments` are (start, end, text); `script.fail_after` makes the run die like a
    killed process (a BaseException, not caught by the task) after that many segments."""

    class Script:
        segments = [(i * 2.0, i * 2.0 + 1.8, f"Line {i} about Glusters and skills") for i in range(10)]
        fail_after = None
        starts = []

    script = Script()

    def transcribe(audio, *, language, start_seconds=0.0):
        script.starts.append(start_seconds)
        for count, (start, end, text) in enumerate(s for s in script.segments if s[0] >= start_seconds):
            if script.fail_after is not None and count >= script.fail_after:
                script.fail_after = None
                raise KeyboardInterrupt("worker killed")
            yield engine.Segment(start, end, text)

    monkeypatch.setattr(engine, "unavailable_reason", lambda: "")
    monkeypatch.setattr(engine, "decode", lambda source: np.zeros(16000 * 21, dtype=np.float32))
    monkeypatch.setattr(engine, "detect_language", lambda audio: "en")
    monkeypatch.setattr(engine, "transcribe", transcribe)
    return script


@pytest.fixture
def recording(make_talk, media_root, settings):  # noqa: F811 - fixture
    settings.TRANSCRIBE_ON_UPLOAD = False
    talk = make_talk("Clusters and skills")
    recording = Recording(talk=talk, source=Recording.Source.UPLOAD)
    recording.video.save("talk.mp4", __import__("django.core.files.base", fromlist=["x"]).ContentFile(b"x" * 10),
                         save=False)
    recording.save()
    return recording


def run_job(recording, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_transcription(recording, **kwargs)
    job.refresh_from_db()
    return job


@needs_engine
def test_an_upload_becomes_a_draft_nobody_sees_until_it_is_published(
        make_talk, uploaded_recording, clips, model_folder, client, admin_client,
        django_capture_on_commit_callbacks):
    talk = make_talk("Resilient supply chains")
    publish_materials(talk)
    with django_capture_on_commit_callbacks(execute=True):
        recording = uploaded_recording(talk, clips["english.mp4"], on_upload=True)
    job = recording.transcription_jobs.get()
    assert job.status == Status.DONE, job.error
    assert job.detected_language == "en" and job.percent == 100
    assert "resilience" in " ".join(job.cues.values_list("text", flat=True)).lower()

    # The draft is in no page, file, API answer or search result.
    captions = reverse("materials:captions", args=[talk.slug, recording.pk])
    assert client.get(captions).status_code == 404
    assert "resilience" not in client.get(talk.get_absolute_url()).content.decode().lower()
    assert "resilience" not in client.get(reverse("materials:recording", args=[talk.slug, recording.pk])).content.decode().lower()
    moment = f"/recording/{recording.pk}/?t=0"  # a transcript passage's search result
    assert moment not in client.get("/search/", {"q": "resilience"}).content.decode()
    assert not Transcript.objects.exists()

    # The test's transaction never commits, so the first block's search batch is still listed
    # as pending: forget it, as a real commit would, so that the publish gets a batch of its own.
    connection.search_index_batch = None
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(review_url(job), {"action": "publish"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Status.PUBLISHED and job.published_at
    served = client.get(captions)
    assert served.status_code == 200
    lines = webvtt.from_string(served.content.decode()).captions
    assert len(lines) == job.cues.count()
    assert "resilience" in " ".join(c.text for c in lines).lower()
    page = client.get(talk.get_absolute_url()).content.decode()
    assert "made by machine and reviewed by the organisers" in page
    assert moment in client.get("/search/", {"q": "resilience"}).content.decode()


@needs_engine
def test_a_corrupt_file_ends_with_a_clear_message_and_nothing_half_made(
        make_talk, uploaded_recording, clips, django_capture_on_commit_callbacks, admin_client):
    recording = uploaded_recording(make_talk(), clips["corrupt.mp4"])
    job = run_job(recording, django_capture_on_commit_callbacks)
    assert job.status == Status.FAILED
    assert "could not be read" in job.error
    assert not job.cues.exists() and not Transcript.objects.exists()
    page = admin_client.get(review_url(job)).content.decode()
    assert "could not be read" in page and 'value="retry"' in page and 'value="publish"' not in page


@needs_engine
def test_a_silent_file_says_no_speech_was_found(make_talk, uploaded_recording, clips, model_folder,
                                                django_capture_on_commit_callbacks):
    job = run_job(uploaded_recording(make_talk(), clips["silent.wav"]), django_capture_on_commit_callbacks)
    assert job.status == Status.FAILED and job.error == "No speech was found in the recording."


def test_a_killed_worker_s_job_resumes_where_it_stopped_without_duplicates(
        recording, fake_engine, django_capture_on_commit_callbacks):
    fake_engine.fail_after = 6  # dies after six lines: four were stored (one batch), two lost
    with pytest.raises(KeyboardInterrupt), django_capture_on_commit_callbacks(execute=True):
        services.request_transcription(recording)
    job = recording.transcription_jobs.get()
    assert job.status == Status.RUNNING and job.cues.count() == tasks.SEGMENTS_PER_WRITE

    # Its lease has not run out: another worker leaves it alone.
    assert tasks.resume_stalled_transcriptions.call() == 0
    TranscriptionJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert tasks.resume_stalled_transcriptions.call() == 1

    job.refresh_from_db()
    assert job.status == Status.DONE and job.attempts == 2
    texts = list(job.cues.values_list("text", flat=True))
    assert texts == [text for _s, _e, text in fake_engine.segments]
    assert fake_engine.starts == [0.0, (tasks.SEGMENTS_PER_WRITE - 1) * 2.0 + 1.8]
    assert list(job.cues.values_list("position", flat=True)) == list(range(1, 11))


def test_one_job_per_recording_and_one_worker_per_job(recording, fake_engine):
    first = services.request_transcription(recording)
    assert services.request_transcription(recording) == first
    assert services.claim(first.pk) is not None
    assert services.claim(first.pk) is None  # the lease is held


def test_a_job_that_keeps_dying_gives_up_with_a_message(recording, fake_engine):
    job = services.request_transcription(recording)
    TranscriptionJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, attempts=services.MAX_ATTEMPTS,
        lease_until=timezone.now() - dt.timedelta(minutes=1))
    tasks.resume_stalled_transcriptions.call()
    job.refresh_from_db()
    assert job.status == Status.FAILED and "too many times" in job.error


def test_cancelling_stops_the_worker_and_the_draft_cannot_be_published(
        recording, fake_engine, django_capture_on_commit_callbacks, admin_client):
    original = engine.transcribe

    def cancel_midway(audio, **kwargs):
        for number, segment in enumerate(original(audio, **kwargs)):
            if number == 5:
                services.cancel(TranscriptionJob.objects.get())
            yield segment

    engine.transcribe = cancel_midway
    job = run_job(recording, django_capture_on_commit_callbacks)
    assert job.status == Status.CANCELLED
    assert job.cues.count() == tasks.SEGMENTS_PER_WRITE
    admin_client.post(review_url(job), {"action": "publish"})
    assert not Transcript.objects.exists()


def test_a_recording_from_another_site_cannot_be_transcribed(make_talk):
    recording = Recording.objects.create(talk=make_talk(), source=Recording.Source.YOUTUBE,
                                         url="https://www.youtube.com/watch?v=abcdefghijk")
    with pytest.raises(services.NotTranscribable):
        services.request_transcription(recording)


def test_uploads_are_transcribed_by_themselves_only_when_the_engine_is_installed(
        make_talk, media_root, settings, monkeypatch, django_capture_on_commit_callbacks):  # noqa: F811
    settings.TRANSCRIBE_ON_UPLOAD = True
    monkeypatch.setattr(engine, "unavailable_reason", lambda: "not installed")
    recording = Recording(talk=make_talk(), source=Recording.Source.UPLOAD)
    recording.video.save("a.mp4", __import__("django.core.files.base", fromlist=["x"]).ContentFile(b"x"), save=False)
    recording.save()
    assert not TranscriptionJob.objects.exists()


def test_draft_lines_never_reach_the_transcript_tables(recording, fake_engine, django_capture_on_commit_callbacks):
    job = run_job(recording, django_capture_on_commit_callbacks)
    assert job.status == Status.DONE and DraftCue.objects.filter(job=job).count() == 10
    assert not Transcript.objects.exists()
