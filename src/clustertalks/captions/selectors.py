"""What the player shows of this room, fetched with the recordings in three queries whatever
their number (the materials room adds these prefetches to its recordings query)."""

from django.db.models import Prefetch

from .models import TranscriptionJob


def recording_prefetches() -> list:
    published = TranscriptionJob.objects.filter(status=TranscriptionJob.Status.PUBLISHED).only(
        "recording_id", "published_at").order_by("-published_at")
    return [
        "chapters",
        "caption_tracks",
        Prefetch("transcription_jobs", queryset=published, to_attr="published_transcriptions"),
    ]
