"""The automatic-captions workflow: request a transcription, claim and resume it in a worker,
review the draft, publish it as the recording's transcript; chapters, keywords, other-language
tracks. The worker side lives in tasks.py; the speech engine in engine.py."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clustertalks.materials import services as materials
from clustertalks.materials.models import Recording
from clustertalks.talks.models import Topic

from .models import CaptionTrack, Chapter, DraftCue, KeywordSuggestion, PlayerInfo, TranscriptionJob

Status = TranscriptionJob.Status
LEASE = dt.timedelta(minutes=2)  # renewed after every segment (a few seconds of work)
MAX_ATTEMPTS = 5
QUEUED_TOO_LONG = dt.timedelta(hours=1)


class NotTranscribable(Exception):
    """This recording cannot be transcribed here; the message says why."""


# --- Requesting --------------------------------------------------------------------------------


def request_transcription(recording: Recording, *, user=None, language: str = "") -> TranscriptionJob:
    """Queue a transcription of an uploaded recording (or return the one already under way)."""
    if not recording.video:
        raise NotTranscribable(_("Only an uploaded video or audio file can be transcribed here; "
                                 "this recording is an address on another site."))
    try:
        with transaction.atomic():
            job = TranscriptionJob.objects.filter(recording=recording,
                                                  status__in=TranscriptionJob.ACTIVE).first()
            if job:
                return job
            job = TranscriptionJob.objects.create(recording=recording, requested_by=user,
                                                  language=(language or "").strip()[:8])
            transaction.on_commit(lambda: enqueue(job.pk))
    except IntegrityError:  # asked twice at once: the other request's job is the one
        return TranscriptionJob.objects.get(recording=recording, status__in=TranscriptionJob.ACTIVE)
    return job


def enqueue(job_id: int) -> None:
    from .tasks import transcribe_recording

    transcribe_recording.enqueue(job_id)


def cancel(job: TranscriptionJob) -> bool:
    """Stop a queued or running job; the worker notices before its next segment."""
    changed = TranscriptionJob.objects.filter(pk=job.pk, status__in=TranscriptionJob.ACTIVE).update(
        status=Status.CANCELLED, finished_at=timezone.now(), lease_until=None)
    return bool(changed)


# --- The worker's side -------------------------------------------------------------------------


def claim(job_id: int, now=None) -> TranscriptionJob | None:
    """Take the job for this worker: queued, or running with an expired lease (its worker died).
    One conditional UPDATE, so two workers can never both hold it."""
    now = now or timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, lease_until__lt=now)
    taken = TranscriptionJob.objects.filter(claimable, pk=job_id).update(
        status=Status.RUNNING, lease_until=now + LEASE, attempts=F("attempts") + 1)
    if not taken:
        return None
    job = TranscriptionJob.objects.get(pk=job_id)
    if job.started_at is None:
        job.started_at = now
        job.save(update_fields=["started_at"])
    return job


def resume_point(job: TranscriptionJob) -> float:
    """Where a restarted job goes on: the end of its last stored line."""
    last = job.cues.aggregate(end=Max("end_ms"))["end"]
    return (last or 0) / 1000


def record_segments(job: TranscriptionJob, segments, done_seconds: float) -> bool:
    """Store the new lines and renew the lease in one transaction; False if the job was
    cancelled or taken over meanwhile (the worker must then stop)."""
    with transaction.atomic():
        renewed = TranscriptionJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            lease_until=timezone.now() + LEASE, done_seconds=done_seconds)
        if not renewed:
            return False
        position = job.cues.aggregate(last=Max("position"))["last"] or 0
        DraftCue.objects.bulk_create(
            DraftCue(job=job, position=position + number, start_ms=int(segment.start * 1000),
                     end_ms=max(int(segment.end * 1000), int(segment.start * 1000) + 1),
                     text=segment.text[:materials.MAX_CUE_TEXT])
            for number, segment in enumerate(segments, start=1)
        )
    return True


def set_audio_facts(job: TranscriptionJob, *, duration: float, language: str, model: str) -> None:
    job.duration_seconds, job.detected_language, job.model_name = duration, language, model
    job.save(update_fields=["duration_seconds", "detected_language", "model_name"])


def finish(job: TranscriptionJob) -> bool:
    """Mark the draft ready; a job without a single line failed (silence or no speech)."""
    if not job.cues.exists():
        return fail(job, _("No speech was found in the recording."))
    done = TranscriptionJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.DONE, finished_at=timezone.now(), lease_until=None,
        done_seconds=F("duration_seconds"))
    return bool(done)


def fail(job: TranscriptionJob, message: str) -> bool:
    """End the job with a message for the organiser; its draft lines are dropped, so nothing
    half-made can be published."""
    with transaction.atomic():
        failed = TranscriptionJob.objects.filter(pk=job.pk, status__in=TranscriptionJob.ACTIVE).update(
            status=Status.FAILED, error=message[:500], finished_at=timezone.now(), lease_until=None)
        if failed:
            job.cues.all().delete()
    return bool(failed)


def stalled_jobs(now=None):
    """Jobs whose worker stopped (killed, restarted) and that no worker holds any more; and
    jobs queued over an hour ago, in case their task was lost (a claim is atomic, so a second
    task for a job that was only waiting does nothing)."""
    now = now or timezone.now()
    return TranscriptionJob.objects.filter(
        Q(status=Status.RUNNING, lease_until__lt=now)
        | Q(status=Status.QUEUED, created_at__lt=now - QUEUED_TOO_LONG)
    )


# --- Reviewing and publishing ------------------------------------------------------------------


def speaker_names(recording: Recording) -> list[str]:
    """The talk's speakers, offered when an organiser names who says a line."""
    return list(recording.talk.participations.order_by("order", "pk")
                .values_list("person__name", flat=True).distinct())


def find_and_replace(job: TranscriptionJob, find: str, replace: str, *, whole_words=True,
                     match_case=False) -> int:
    """Replace a misheard word in every draft line; returns how many lines changed."""
    if not find.strip():
        raise ValidationError(_("Say what to find."))
    pattern = re.escape(find)
    if whole_words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    expression = re.compile(pattern, 0 if match_case else re.IGNORECASE)
    changed = []
    for cue in job.cues.all():
        text = expression.sub(lambda _match: replace, cue.text)
        if text != cue.text:
            cue.text = text[:materials.MAX_CUE_TEXT]
            changed.append(cue)
    DraftCue.objects.bulk_update(changed, ["text"], batch_size=500)
    return len(changed)


def publishable(job: TranscriptionJob) -> None:
    if job.status not in (Status.DONE, Status.PUBLISHED):
        raise ValidationError(_("Only a finished draft can be published."))
    cues = [cue for cue in job.cues.all() if cue.text.strip()]
    if not cues:
        raise ValidationError(_("The draft has no lines to publish."))
    starts = [cue.start_ms for cue in cues]
    if any(cue.end_ms <= cue.start_ms for cue in cues) or starts != sorted(starts):
        raise ValidationError(_("Every line must end after it starts, in the order of time."))


@transaction.atomic
def publish(job: TranscriptionJob, user=None) -> None:
    """The reviewed draft becomes the recording's transcript: captions, clickable transcript and
    search all read it from there (visible with the talk's published materials)."""
    job = TranscriptionJob.objects.select_for_update().get(pk=job.pk)
    publishable(job)
    parsed = materials.ParsedTranscript(
        source_format="vtt",
        cues=tuple(materials.Cue(cue.start_ms, cue.end_ms, " ".join(cue.text.split()), cue.speaker)
                   for cue in job.cues.all() if cue.text.strip()),
    )
    materials.replace_transcript(job.recording, parsed, language=job.spoken_language)
    job.status, job.published_at, job.published_by = Status.PUBLISHED, timezone.now(), user
    job.save(update_fields=["status", "published_at", "published_by"])
    refresh_player_info(job.recording_id)


def refresh_player_info(recording_id: int) -> None:
    """Rebuild the one row the player reads (chapters, other tracks, 'made by machine' date)."""
    if not Recording.objects.filter(pk=recording_id).exists():
        return
    published = (TranscriptionJob.objects.filter(recording_id=recording_id, status=Status.PUBLISHED)
                 .order_by("-published_at").values_list("published_at", flat=True).first())
    PlayerInfo.objects.update_or_create(recording_id=recording_id, defaults={
        "chapters": [[c.start_ms, c.title] for c in Chapter.objects.filter(recording_id=recording_id)],
        "tracks": [[t.language, t.label] for t in CaptionTrack.objects.filter(recording_id=recording_id)],
        "machine_made_on": published,
    })


# --- Chapters ----------------------------------------------------------------------------------


def chapters_from_agenda(recording: Recording) -> int:
    """Place the agenda's items on the recording's timeline from their local start times,
    relative to the talk's start (the organiser adjusts them afterwards). Returns how many
    chapters were made; existing chapters are kept."""
    talk = recording.talk
    if recording.chapters.exists():
        return 0
    start_local = talk.local_start
    zone = start_local.tzinfo
    made = []
    for item in talk.agenda_items.all():
        if item.starts_at is None:
            continue
        at = dt.datetime.combine(start_local.date(), item.starts_at, tzinfo=zone)
        offset = int((at - start_local).total_seconds() * 1000)
        if offset < 0:
            continue
        made.append(Chapter(recording=recording, agenda_item=item, title=item.title[:250],
                            start_ms=offset))
    if made and made[0].start_ms > 0:
        made[0].start_ms = 0  # a chapter list starts at the start
    Chapter.objects.bulk_create(made)
    refresh_player_info(recording.pk)
    return len(made)


def chapters_webvtt(chapters, duration_ms: int | None) -> str:
    """WebVTT chapters: each runs to the next one (the last to the end of the recording)."""
    chapters = list(chapters)
    blocks = ["WEBVTT", ""]
    for index, chapter in enumerate(chapters):
        following = chapters[index + 1].start_ms if index + 1 < len(chapters) else None
        end = following or duration_ms or chapter.start_ms + 3_600_000
        end = max(end, chapter.start_ms + 1000)
        blocks += [f"chapter-{index + 1}",
                   f"{materials.timestamp(chapter.start_ms)} --> {materials.timestamp(end)}",
                   materials.escape_cue_text(chapter.title), ""]
    return "\n".join(blocks)


# --- Keywords ----------------------------------------------------------------------------------


def suggest_keywords(job: TranscriptionJob, limit: int = 12) -> int:
    """Key phrases of the draft (YAKE: statistical, language-aware, no model), for the organiser
    to add as topics or ignore. Does nothing when the extra is not installed."""
    try:
        import yake
    except ImportError:
        return 0
    text = " ".join(job.cues.values_list("text", flat=True))
    if len(text.split()) < 20:
        return 0
    extractor = yake.KeywordExtractor(lan=(job.spoken_language or "en")[:2], n=3, top=limit)
    found = {}
    for keyword, score in extractor.extract_keywords(text):
        keyword = " ".join(keyword.split())[:100]
        found.setdefault(keyword.lower(), (keyword, score))
    KeywordSuggestion.objects.bulk_create(
        [KeywordSuggestion(job=job, keyword=keyword, score=score) for keyword, score in found.values()],
        ignore_conflicts=True,
    )
    return len(found)


def accept_keyword(suggestion: KeywordSuggestion) -> Topic:
    """Add the keyword to the talk's topics (an existing topic of that name is reused)."""
    name = suggestion.keyword.strip()
    topic = Topic.objects.filter(name__iexact=name).first()
    if topic is None:
        topic = Topic.objects.create(name=name[:100], slug=slugify(name)[:50] or "topic")
    suggestion.job.recording.talk.topics.add(topic)
    suggestion.state = KeywordSuggestion.State.ACCEPTED
    suggestion.save(update_fields=["state"])
    return topic


# --- Other-language tracks ---------------------------------------------------------------------


def store_caption_track(track: CaptionTrack, data: bytes) -> None:
    """Read an uploaded WebVTT/SRT file (the materials room's parser and limits) and keep it as
    clean WebVTT; raises ValidationError with the parser's message."""
    parsed = materials.parse_transcript_bytes(data)
    numbered = [DraftCue(position=n, start_ms=c.start_ms, end_ms=c.end_ms, text=c.text, speaker=c.speaker)
                for n, c in enumerate(parsed.cues, start=1)]
    track.webvtt = materials.to_webvtt(numbered)
