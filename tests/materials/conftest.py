"""Factories for the materials room: uploads (real PDFs, transcripts) and a talk with materials."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clustertalks.materials.models import Attachment, Recording, Takeaway, TalkSummary
from clustertalks.materials.pdfmaker import build_text_pdf
from clustertalks.materials.services import Cue, ParsedTranscript, replace_transcript

KINDS = [kind for kind, _label in Takeaway.Kind.choices]


def pdf_bytes(pages=2) -> bytes:
    return build_text_pdf(
        [(f"Slide {n}", [f"Clusters and skills, part {n}", "Café, crème et coopération"]) for n in range(1, pages + 1)]
    )


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Anna Kovács>Welcome to the EU Clusters Talks.

00:01:05.500 --> 00:01:09.000
Clusters help SMEs find <b>skills</b> & partners.
"""


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def add_materials(media_root, make_person):
    """Give a talk `recordings` YouTube recordings with transcripts, `attachments` PDFs,
    `takeaways` takeaways of varied kinds, a summary, and (by default) publish them."""

    def add(talk, *, recordings=1, attachments=1, takeaways=2, published=True, cues=3):
        for n in range(recordings):
            recording = Recording.objects.create(
                talk=talk, order=n, source=Recording.Source.YOUTUBE,
                url=f"https://www.youtube.com/watch?v=abcdefghi{n:02d}",
            )
            replace_transcript(recording, ParsedTranscript("vtt", tuple(
                Cue(i * 4000, i * 4000 + 3500, f"Line {i} of recording {n}") for i in range(cues)
            )))
        part = talk.participations.select_related("person").first()
        speaker = part.person if part else make_person()
        for n in range(attachments):
            attachment = Attachment(talk=talk, order=n, title=f"Slides {n}", size_bytes=1234, page_count=2,
                                    speaker=speaker, processing=Attachment.Processing.DONE)
            attachment.file.save(f"slides-{n}.pdf", ContentFile(pdf_bytes()), save=False)
            attachment.thumbnail.save(f"thumb-{n}.png", ContentFile(b"png"), save=False)
            attachment.save()
        for n in range(takeaways):
            Takeaway.objects.create(talk=talk, order=n, kind=KINDS[n % len(KINDS)], text=f"Takeaway {n}",
                                    person=speaker, topic=talk.topics.first())
        TalkSummary.objects.update_or_create(talk=talk, defaults={
            "text": "The **summary** <script>alert(1)</script>",
            "materials_published_at": timezone.now() if published else None,
        })
        return talk

    return add
