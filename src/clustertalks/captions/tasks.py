"""The transcriber's background work. Transcriptions run on their own queue, taken by
`clustertalks transcriber` (one job at a time per process), so emails and indexing on the
default queue never wait behind an hour of audio."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from clustertalks.core.periodic import every

from . import engine, services
from .models import TranscriptionJob

logger = logging.getLogger(__name__)
QUEUE = "transcription"
SEGMENTS_PER_WRITE = 4  # lines stored (and the lease renewed) in batches of this size


@task(queue_name=QUEUE)
def transcribe_recording(job_id: int) -> str:
    """Transcribe the job's recording into draft lines, resuming where a killed worker stopped."""
    job = services.claim(job_id)
    if job is None:
        return "not claimable"
    try:
        return _run(job)
    except engine.EngineUnavailable as error:
        services.fail(job, str(error))
    except engine.AudioUnreadable as error:
        services.fail(job, _("The recording's sound could not be read (%(error)s). Check that "
                             "the file is a video or audio file that plays.") % {"error": error})
    except Exception as error:  # never leave a job running because of a bug or a bad file
        logger.exception("Transcription %s failed", job_id)
        services.fail(job, _("Transcription failed: %(error)s") % {"error": str(error)[:300]})
    return TranscriptionJob.Status.FAILED


def _run(job: TranscriptionJob) -> str:
    with job.recording.video.open("rb") as handle:
        audio = engine.decode(handle)
    duration = len(audio) / engine.SAMPLE_RATE
    language = job.language or job.detected_language or engine.detect_language(audio)
    services.set_audio_facts(job, duration=duration, language=language, model=engine.model_name())
    done = services.resume_point(job)
    batch = []
    for segment in engine.transcribe(audio, language=language, start_seconds=done):
        batch.append(segment)
        if len(batch) >= SEGMENTS_PER_WRITE:
            if not services.record_segments(job, batch, segment.end):
                return "stopped"
            batch = []
    if batch and not services.record_segments(job, batch, batch[-1].end):
        return "stopped"
    if services.finish(job):
        services.suggest_keywords(job)
        return TranscriptionJob.Status.DONE
    return TranscriptionJob.Status.FAILED


@every(minutes=5)
@task()
def resume_stalled_transcriptions() -> int:
    """Put back on the queue the jobs whose worker died (their lease ran out)."""
    jobs = list(services.stalled_jobs().values_list("pk", "attempts"))
    for job_id, attempts in jobs:
        if attempts >= services.MAX_ATTEMPTS:
            services.fail(TranscriptionJob(pk=job_id), _("The transcriber stopped too many "
                                                         "times on this recording."))
        else:
            services.enqueue(job_id)
    return len(jobs)
