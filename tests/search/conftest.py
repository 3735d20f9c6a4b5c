"""Helpers for the search tests: materials rows made directly (published unless told)."""

import pytest
from django.utils import timezone

from clustertalks.materials.models import (
    Attachment,
    AttachmentPage,
    Recording,
    Takeaway,
    TalkSummary,
    Transcript,
    TranscriptCue,
)


@pytest.fixture(autouse=True)
def _index_at_once(settings):
    """The test's transaction never commits: index on each save instead of at commit."""
    settings.SEARCH_INDEX_AFTER_COMMIT = False
    from django.core.cache import cache

    cache.clear()  # cached spelling corrections and synonyms belong to another test's archive


@pytest.fixture
def add_materials(db):
    """add_materials(talk, summary=..., takeaways=[(kind, text)], slides=[page texts],
    transcript=[(start_seconds, text)], published=True)"""

    def add(talk, *, summary="", takeaways=(), slides=(), transcript=(), published=True):
        TalkSummary.objects.update_or_create(
            talk=talk,
            defaults={"text": summary, "materials_published_at": timezone.now() if published else None},
        )
        for order, (kind, text) in enumerate(takeaways):
            Takeaway.objects.create(talk=talk, order=order, kind=kind, text=text)
        if slides:
            deck = Attachment.objects.create(talk=talk, title="Slides", file="attachments/deck.pdf")
            for number, text in enumerate(slides, start=1):
                AttachmentPage.objects.create(attachment=deck, number=number, text=text)
        if transcript:
            recording = Recording.objects.create(talk=talk, source="youtube", url="https://youtu.be/x")
            track = Transcript.objects.create(recording=recording, source_format="vtt")
            for position, (seconds, text) in enumerate(transcript, start=1):
                TranscriptCue.objects.create(
                    transcript=track, position=position, start_ms=seconds * 1000,
                    end_ms=seconds * 1000 + 4000, text=text,
                )
        return talk

    return add
